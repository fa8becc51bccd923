from krupd.testing import *  # noqa: F401,F403
