from krupd.templatetags.text import markdown


def test_it_formats_headings_bold_lists_and_links():
    html = markdown("# บทที่ ๑\n**สำคัญ** มาก\n- ข้อแรก\n- ข้อสอง\n[คู่มือ](https://example.org/a)")
    assert "<h1>บทที่ ๑</h1>" in html
    assert "<strong>สำคัญ</strong>" in html
    assert "<li>ข้อแรก</li>" in html
    assert '<a href="https://example.org/a">คู่มือ</a>' in html


def test_it_never_lets_html_or_script_links_through():
    html = markdown("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>")
    assert "<script>" not in html and "<img" not in html
    assert 'href="javascript' not in html


def test_it_renders_nothing_for_empty_bodies():
    assert markdown("") == "" and markdown(None) == ""
