"""The benchmark suite (`make bench`).

Every workload is timed next to a baseline measured in the same run on the same data, and the
ratio is what we report: wall-clock seconds alone say more about the machine than the code.
"""
