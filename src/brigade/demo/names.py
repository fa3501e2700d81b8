"""Word pools for the demo brigade's invented names: people, roads, communities, companies.

Every name here is made up from common Chinese words; none is meant to be a real person or firm.
"""

import random

# Common surnames with rough weights (the most frequent first).
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪"
    "田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌浩宇鹏飞海波晓东亮宁晨辉凯俊峰"
    "雪琳丹佳欣怡婷颖蕾倩瑶璐昊然博睿哲轩泽航鑫帅成龙祥瑞庆福顺安康泰乐天一新春振兴永利德胜树林松"
)

# Two-character words for road and place names (invented combinations, no real addresses).
PLACE_WORDS = (
    "东兴", "人民", "和平", "建设", "解放", "文化", "光明", "振兴", "富民", "兴业", "长安", "育才", "金源",
    "凤鸣", "青龙", "丰收", "汤泉", "安居", "广福", "民安", "沿河", "滨湖", "工业", "物流", "商贸", "新华",
    "团结", "春晖", "秀水", "云岭", "翠柳", "槐荫", "银杏", "桃园", "梨花", "杏林", "松柏", "聚福", "万福",
    "永安", "太和", "祥和", "嘉禾", "华夏", "金桥", "银河", "宝泉", "龙湖", "凤台", "玉泉", "清河", "锦华",
    "恒昌", "泰和", "瑞丰", "德隆", "兴旺", "鲁南", "齐鲁", "滨河", "朝晖", "红旗", "胜利", "前进", "友谊",
    "幸福", "通达", "顺河", "向阳", "东方", "晨光", "白鹭", "荷花", "柳青", "枫林", "梧桐", "紫荆", "芙蓉",
    "海棠", "丁香", "石榴", "葡萄", "杨柳", "竹园", "兰亭", "书香", "学府", "园丁", "创业", "科技", "智造",
    "财源", "丰泽", "沃野", "金穗", "麦香", "稻香", "果园", "花园", "湖滨", "双桥", "三里", "五里", "七星",
    "九龙", "百福", "千禧", "万象", "新元", "开元", "永兴", "复兴", "宏图", "远航", "凯旋", "和谐", "平安",
    "康宁", "福寿", "长青", "常乐", "鸿运", "锦绣", "如意", "吉祥", "安泰", "盛世", "华庭", "御景", "东岳",
    "泉源", "明珠", "天元", "正阳", "凤凰", "卧龙", "迎宾", "会展", "临港", "空港", "航站", "高铁", "站前",
)

ARTERIAL_SUFFIXES = ("大道", "大街", "路")
COMMUNITY_SUFFIXES = ("社区", "社区", "社区", "花园", "小区", "家园", "新村", "苑")
TOWN_COMMUNITY_SUFFIXES = ("社区", "社区", "村社区")

# Company name parts by site category (the unit's trade).
TRADE_WORDS = {
    "logistics": ("物流有限公司", "仓储有限公司", "供应链管理有限公司", "快递分拨中心"),
    "high_rise": ("大厦", "国际中心", "商务楼", "公寓"),
    "property": ("物业服务有限公司", "物业管理有限公司"),
    "mixed_use": ("超市", "饭店", "五金店", "电动车行", "批发部", "门诊部", "小吃店"),
    "elderly_care": ("养老院", "颐养中心", "老年公寓", "敬老院"),
    "sublet_park": ("产业园", "创业园", "工业园", "科技园"),
    "heritage": ("古建筑群", "故居", "祠堂", "古寺"),
    "construction": ("建设项目施工现场", "安置房项目工地", "厂房改扩建工地"),
    "school": ("小学", "中学", "幼儿园", "职业学校"),
    "hospital": ("医院", "卫生院", "社区卫生服务中心", "中医医院"),
    "residential": ("小区", "花园", "家园", "公寓小区"),
    "gathering": ("KTV", "网吧", "宾馆", "酒店", "影城", "健身中心", "洗浴中心"),
    "retail": ("购物广场", "商贸城", "农贸市场", "百货", "家居市场", "建材市场"),
    "factory": ("木业有限公司", "板材厂", "机械制造有限公司", "食品有限公司", "塑料制品有限公司",
                "纺织有限公司", "包装制品有限公司", "五金制品有限公司"),
    "workshop": ("加工作坊", "木器加工点", "服装加工点", "食品加工点"),
    "hazmat": ("加油站", "液化气站", "燃气有限公司", "化工有限公司"),
    "other": ("办公楼", "服务中心", "有限公司"),
}

DEPARTMENTS = (
    "区教育和体育局", "区民政局", "区住房和城乡建设局", "区商务局", "区应急管理局", "区市场监督管理局",
    "区文化和旅游局", "区卫生健康局", "区交通运输局", "区综合行政执法局", "区公安分局", "区消防安全委员会办公室",
)


def person_name(rng: random.Random) -> str:
    """A plausible two- or three-character personal name."""
    surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_CHARS)
    return surname + given


def phone_number(rng: random.Random) -> str:
    """A mobile-looking number (random digits, not a real subscriber)."""
    return rng.choice(("13", "15", "17", "18")) + "".join(str(rng.randrange(10)) for _ in range(9))


def unique_words(rng: random.Random, n: int, exclude: set[str] | None = None) -> list[str]:
    """``n`` distinct place words in a seeded order (combining two words when the pool runs out)."""
    pool = [w for w in PLACE_WORDS if not exclude or w not in exclude]
    rng.shuffle(pool)
    out = pool[:n]
    seen = set(out) | (exclude or set())
    while len(out) < n:
        word = rng.choice(PLACE_WORDS)[0] + rng.choice(PLACE_WORDS)[1]
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out
