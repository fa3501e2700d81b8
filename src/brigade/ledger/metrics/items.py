"""Seed figures kept in the activity ledger: honours (H), responsibility meetings (R1–R2),
team management (T), training (E1–E5, E7) and publicity (P)."""

from brigade.ledger.metrics.kinds import register_ledger_metric as metric

OUTREACH = tuple(f"outreach_{t}" for t in ("enterprise", "village", "community", "school", "family"))
# Kinds whose rows report people educated or trained (培训人次 in the summary).
PEOPLE_TRAINED = (*OUTREACH, "online_training", "volunteer_event", "safety_training")
# Kinds whose rows report printed materials handed out.
MATERIALS = (*OUTREACH, "volunteer_event", "materials")

# Honours and security tasks (H1–H3)
metric("honours.individual", "个人荣誉获得人数", "人", "individual_honour", "people", seed_ref="H1",
       definition="期间内个人荣誉台账的获奖人数合计。")
metric("honours.collective", "集体荣誉", "项", "collective_honour", seed_ref="H2",
       definition="期间内获得的集体荣誉项数。")
metric("honours.security_tasks", "完成重大安保任务", "项", "security_task", seed_ref="H3",
       definition="期间内完成的重大安保任务项数。")

# Responsibility (R1–R2)
metric("responsibility.government_meetings", "党委政府专题研究消防工作", "次", "government_meeting", seed_ref="R1",
       definition="党委、政府会议专题研究消防工作的次数。")
metric("responsibility.committee_meetings", "消委会专题会议", "次", "committee_meeting", seed_ref="R2",
       definition="召开消防安全委员会专题会议的次数。")

# Team management (T1–T6)
metric("team.education_seminars", "专题教育研讨交流", "次", "education_seminar", seed_ref="T1",
       definition="开展专题教育研讨交流的次数。")
metric("team.integrity_letters", "廉政倡议书", "份", "integrity_letter", seed_ref="T2",
       definition="向党员干部及家庭发出的廉政倡议书份数。")
metric("team.party_days", "主题党日活动", "次", "party_day", seed_ref="T3", definition="组织主题党日活动的次数。")
metric("team.honour_plaques", "荣誉家庭光荣牌", "个", "honour_plaque", seed_ref="T4",
       definition="发放“消防员荣誉家庭”光荣牌的个数。")
metric("team.safety_meetings", "安全形势分析会", "次", "safety_meeting", seed_ref="T5",
       definition="召开安全形势分析会的次数。")
metric("team.alcohol_checks", "饮酒管控抽查", "次", "alcohol_check", seed_ref="T6",
       definition="通过饮酒管控系统抽查的次数。")
metric("team.alcohol_checked_people", "饮酒管控抽查人次", "人次", "alcohol_check", "people", seed_ref="T6",
       definition="饮酒管控系统抽查的人次合计。")

# Training and readiness (E1–E5, E7)
metric("training.fitness_tests", "体能达标考核", "次", "fitness_test", seed_ref="E1", definition="开展体能达标考核的次数。")
metric("training.specialised_sessions", "专项训练", "次", "specialised_training", seed_ref="E1",
       definition="开展专项训练的次数。")
metric("training.road_water_surveys", "道路水源普查", "次", "road_water_survey", seed_ref="E2",
       definition="组织辖区道路水源普查的次数。")
metric("training.familiarisation_visits", "重点单位“六熟悉”", "次", "familiarisation", seed_ref="E3",
       definition="到重点单位开展“六熟悉”的次数。")
metric("training.live_drills", "实战演练", "次", "live_drill", seed_ref="E3", definition="开展实战演练的次数。")
metric("training.preplans_revised", "三维数字化预案修订", "份", "preplan_revision", seed_ref="E4",
       definition="修订完善重点单位三维数字化预案的份数。")
metric("training.patrols", "流动执勤、动态巡防", "次", "patrol", seed_ref="E5",
       definition="重要时间节点流动执勤、动态巡防的次数。")
metric("training.case_reviews", "执法质量自查和案卷讲评", "次", "case_review", seed_ref="E7",
       definition="开展执法质量自查和案卷讲评的次数。")
metric("training.collective_studies", "业务集中学习", "次", "collective_study", seed_ref="E7",
       definition="组织消防业务集中学习的次数。")
metric("training.shadowing_visits", "跟班见学", "次", "shadowing", seed_ref="E7", definition="开展跟班见学的次数。")
metric("training.field_practice", "实地操作", "次", "field_practice", seed_ref="E7", definition="开展实地操作的次数。")
metric("training.integrity_education", "廉政执法集中教育", "次", "integrity_education", seed_ref="E7",
       definition="开展廉政执法集中教育的次数。")

# Publicity (P1–P5)
metric("publicity.outreach_events", "宣传“五进”活动", "次", OUTREACH, seed_ref="P1",
       definition="消防宣传进企业、农村、社区、学校、家庭活动次数合计。")
metric("publicity.online_trainings", "线上消防培训", "次", "online_training", seed_ref="P1",
       definition="开展线上消防培训的次数。")
metric("publicity.volunteer_events", "志愿者宣传活动", "次", "volunteer_event", seed_ref="P1",
       definition="消防志愿者宣传活动次数。")
metric("publicity.materials", "发放宣传资料", "份", MATERIALS, "materials", seed_ref="P2",
       definition="各类宣传活动和集中发放的宣传资料份数合计。")
metric("publicity.people_trained", "培训和受教育人次", "人次", PEOPLE_TRAINED, "people", seed_ref="P2",
       definition="“五进”、线上培训、志愿者活动和消防安全培训的受教育人次合计。")
metric("publicity.schools", "参与消防安全公开课学校", "所", "national_lesson", "schools", seed_ref="P3",
       definition="组织观看全国中小学消防安全公开课的学校数。")
metric("publicity.banners", "横幅标语广告牌", "处", "banner", "places", seed_ref="P4",
       definition="在重要场所悬挂横幅、标语、广告牌的处数。")
metric("publicity.broadcasts", "公益广告播放", "条", "broadcast", "broadcasts", seed_ref="P4",
       definition="滚动播放消防安全公益广告的条数。")
metric("publicity.media_works", "新媒体作品", "条", "media_work", "works", seed_ref="P5",
       definition="制作新媒体作品的条数。")
metric("publicity.livestreams", "直播", "次", "livestream", seed_ref="P5", definition="开展直播的场次。")
metric("publicity.livestream_audience", "直播在线观看", "人次", "livestream", "audience", seed_ref="P5",
       definition="各场直播在线观看人次合计。")
