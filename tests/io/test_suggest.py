"""Each way a suggestion is found, with its reason and an ordering of confidences that makes sense."""

from brigade.io.suggest import Suggester, declared_synonyms

STREETS = ["九曲街道", "芝麻墩街道", "柳青街道", "兰山街道"]


def best(suggester, value):
    found = suggester.suggest(value)
    return (found[0].target, found[0].reason, found[0].confidence) if found else None


def test_every_way_of_finding_a_value():
    s = Suggester(STREETS)
    assert best(s, "九曲")[:2] == ("九曲街道", "名称包含")
    assert best(s, "九曲街道办事处")[:2] == ("九曲街道", "名称包含")
    assert best(s, "蘭山街道")[:2] == ("兰山街道", "繁简或全半角写法不同")
    assert best(s, "九区街道")[:2] == ("九曲街道", "同音字")
    assert best(s, "zmdjd")[:2] == ("芝麻墩街道", "拼音首字母相同")
    assert best(s, "liuqingjiedao")[:2] == ("柳青街道", "拼音相同")
    assert best(s, "芝麻敦街")[:2] == ("芝麻墩街道", "写法相近")
    assert best(s, "新城街道") is None  # nothing close: no guess
    assert best(s, "九曲")[2] < best(s, "蘭山街道")[2]


def test_full_width_and_synonyms_declared_as_data():
    s = Suggester(["A型", "B型"])
    assert best(s, "Ａ型")[:2] == ("A型", "繁简或全半角写法不同")
    labels = declared_synonyms()["Hydrant.status"]
    s = Suggester(["完好", "损坏", "停用"], labels)
    assert best(s, "正常")[:2] == ("完好", "同义词")
    assert best(s, "废弃")[:2] == ("停用", "同义词")


def test_an_ambiguous_containment_is_offered_with_low_confidence():
    s = Suggester(["地上式消火栓", "地下式消火栓", "消防水鹤"])
    found = s.suggest("消火栓")
    assert {f.target for f in found} == {"地上式消火栓", "地下式消火栓"} and all(f.confidence <= 0.5 for f in found)
