"""Targets, ESA standards and inspection policies, loaded by a data migration.

Offices edit these rows when a plan or circular changes; nothing here is used as a constant
by the code. Sources: the Nakhon Si Thammarat secondary ESA's teacher-development plan
(success KPIs), the Sukhothai secondary ESA's targets (100/90/90 %), the Phetchaburi primary
ESA 1 SAR (issue 5.5 indicator 2 items 1–5 and issue 5.6 indicator 1 with their 4-level
rubrics), the Tak provincial MOE inspection report FY2566 (policies 5 and 6). The 2564
edition's standard 2 indicator 3 item 3 wording is from DOMAIN.md; its rubric is *unconfirmed* and
says so in its source.
"""

TEACHING = ["teacher", "assistant_teacher"]

KPI_TARGETS = [
    # code, name, formula, kind, target, params, source
    ("tech-proficiency", "ครูมีความเชี่ยวชาญด้านเทคโนโลยี (ผลประเมินสมรรถนะดิจิทัลหรือผ่านหลักสูตรด้านดิจิทัล)",
     "digital_competent_share", "level", 80,
     {"types": TEACHING, "framework_code": "DL", "min_level": 3},
     "แผนพัฒนาครูและบุคลากรทางการศึกษา ตัวชี้วัดความสำเร็จ ข้อ 1: ครูมีความเชี่ยวชาญด้านเทคโนโลยีไม่น้อยกว่าร้อยละ 80"),
    ("student-achievement", "ผลสัมฤทธิ์ทางการเรียนของนักเรียน (คะแนนเฉลี่ย O-NET) เพิ่มขึ้นต่อปี",
     "onet_mean", "growth", 10, {},
     "แผนพัฒนาครูและบุคลากรทางการศึกษา ตัวชี้วัดความสำเร็จ ข้อ 2: "
     "ผลสัมฤทธิ์ทางการเรียนของนักเรียนเพิ่มขึ้นร้อยละ 10 ต่อปี"),
    ("teachers-developed", "ครูที่ได้รับการพัฒนาทางวิชาชีพ", "developed_share", "level", 80,
     {"types": TEACHING},
     "แผนพัฒนาครูและบุคลากรทางการศึกษา ตัวชี้วัดความสำเร็จ ข้อ 3: ครูที่ได้รับการพัฒนาทางวิชาชีพไม่น้อยกว่าร้อยละ 80"),
    ("data-management", "การบริหารจัดการข้อมูลมีประสิทธิภาพ (คะแนนความพร้อมใช้ของข้อมูล)",
     "data_readiness", "level", 80, {},
     "แผนพัฒนาครูและบุคลากรทางการศึกษา ตัวชี้วัดความสำเร็จ ข้อ 4: การบริหารจัดการข้อมูลมีประสิทธิภาพ"),
    ("partnerships", "การร่วมมือกับองค์กรภายนอก (กิจกรรมร่วมกับภาคีเครือข่าย) เพิ่มขึ้นต่อปี",
     "joint_activities", "growth", 30, {},
     "แผนพัฒนาครูและบุคลากรทางการศึกษา ตัวชี้วัดความสำเร็จ ข้อ 5: การร่วมมือกับองค์กรภายนอกเพิ่มขึ้นร้อยละ 30 ต่อปี"),
    ("assistants-developed", "ครูผู้ช่วยได้รับการพัฒนา", "developed_share", "level", 100,
     {"types": ["assistant_teacher"]},
     "เป้าหมายการพัฒนาครูและบุคลากรทางการศึกษา ข้อ 1: ครูผู้ช่วยได้รับการพัฒนาร้อยละ 100"),
    ("personnel-developed", "บุคลากรทางการศึกษาได้รับการพัฒนาตนเอง", "developed_share", "level", 90,
     {"types": ["educational_personnel", "supervisor"]},
     "เป้าหมายการพัฒนาครูและบุคลากรทางการศึกษา ข้อ 2: บุคลากรทางการศึกษาได้รับการพัฒนาร้อยละ 90"),
    ("directors-developed", "ผู้บริหารสถานศึกษาได้รับการพัฒนาสมรรถนะ", "developed_share", "level", 90,
     {"types": ["director", "deputy_director"]},
     "เป้าหมายการพัฒนาครูและบุคลากรทางการศึกษา ข้อ 3: ผู้บริหารสถานศึกษาได้รับการพัฒนาร้อยละ 90"),
]  # fmt: skip

SAR_LEVELS_55 = [
    (1, "สพป./สพม. มีการดำเนินงานตามตัวบ่งชี้ครบทั้ง 4 ข้อ แต่ไม่มีร่องรอยหลักฐาน", "", "", False),
    (2, "สพป./สพม. มีการดำเนินงานตามตัวบ่งชี้ครบทั้ง 4 ข้อ ร่องรอยหลักฐานที่ปรากฏขาดความชัดเจนทุกข้อ",
     "all", "", False),
    (3, "สพป./สพม. มีการดำเนินงานตามตัวบ่งชี้ครบทั้ง 4 ข้อ ร่องรอยหลักฐานปรากฏความชัดเจนในบางข้อ",
     "all", "any", False),
    (4, "สพป./สพม. มีการดำเนินงานตามตัวบ่งชี้ครบทั้ง 4 ข้อ ร่องรอย หลักฐานปรากฏเด่นชัด "
        "สามารถตรวจสอบได้ทุกข้อ และนำผลการติดตามประเมินผลมาปรับกระบวนการพัฒนาครูและบุคลากรทางการศึกษา",
     "all", "all", True),
]  # fmt: skip

SAR_LEVELS_56 = [
    (1, "สพป./สพม. มีการดำเนินงานตามตัวบ่งชี้ครบ ทั้ง 2 ข้อ แต่ไม่มีร่องรอยหลักฐาน", "", "", False),
    (2, "สพป./สพม. มีการดำเนินงานตามตัวบ่งชี้ครบ ทั้ง 2 ข้อ ร่องรอยหลักฐานที่ปรากฏขาดความชัดเจนทุกข้อ",
     "all", "", False),
    (3, "สพป./สพม. มีการดำเนินงานตามตัวบ่งชี้ครบ ทั้ง 2 ข้อ ร่องรอยหลักฐานที่ปรากฏขาดความชัดเจนในบางข้อ "
        "ไม่มีการวิจัยเพื่อนำผลมาปรับปรุงแก้ไขพัฒนาระบบเครือข่าย", "all", "any", False),
    (4, "สพป./สพม. มีการดำเนินงานตามตัวบ่งชี้ครบ ทั้ง 2 ข้อ ร่องรอยหลักฐานปรากฏเด่นชัด สามารถตรวจสอบได้ทุกข้อ "
        "และมีการติดตามประเมินผลวิจัย พร้อมนำผลมาปรับปรุงแก้ไข พัฒนาระบบเครือข่าย", "all", "all", True),
]  # fmt: skip

SAR_LEVELS_2564 = [
    (1, "มีการดำเนินงานแต่ร่องรอยหลักฐานยังไม่ครบทุกประเด็น", "", "", False),
    (2, "มีร่องรอยหลักฐานทุกประเด็น แต่ยังขาดความชัดเจน", "all", "", False),
    (3, "มีร่องรอยหลักฐานทุกประเด็น และปรากฏชัดเจนในบางประเด็น", "all", "any", False),
    (4, "มีร่องรอยหลักฐานชัดเจน ตรวจสอบได้ทุกประเด็น และนำผลการติดตามมาปรับปรุงการดำเนินงาน",
     "all", "all", True),
]  # fmt: skip

# edition → standards → indicators → items (number, title, requirement, follow-up key,
# points [(text, evidence key, params)]) and level rules.
SAR_EDITIONS = [
    {
        "code": "esa-2555",
        "name": "มาตรฐานสำนักงานเขตพื้นที่การศึกษา (ประเด็นที่ 5.5 และ 5.6)",
        "source": "มาตรฐานสำนักงานเขตพื้นที่การศึกษา สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน ประเด็นที่ 5.5 และ 5.6",
        "standards": [
            {
                "number": "5.5",
                "title": "สำนักงานเขตพื้นที่การศึกษามีการบริหารอัตรากำลังให้เกิดประโยชน์สูงสุดต่อการจัดการศึกษา"
                         "พัฒนาครูและบุคลากรทางการศึกษาสู่การเป็นมืออาชีพ (มาตรฐานที่ 4)",
                "indicators": [
                    {
                        "number": "2",
                        "title": "กระบวนการที่มีประสิทธิภาพในการพัฒนาครูและบุคลากรทางการศึกษา "
                                 "และส่งผลดีต่อการพัฒนาคุณภาพการศึกษา",
                        "levels": SAR_LEVELS_55,
                        "items": [
                            ("1", "มีระบบข้อมูลสารสนเทศในการพัฒนาครูและบุคลากรทางการศึกษา",
                             "ข้อมูลสารสนเทศของครูและบุคลากรทางการศึกษาในสังกัด มีคุณสมบัติครบทุกข้อ",
                             "follow_up_training",
                             [("ครบถ้วน", "data_complete", {"min": 80}),
                              ("ถูกต้อง", "data_correct", {"min": 80}),
                              ("เป็นปัจจุบัน", "data_current", {"min": 80}),
                              ("พร้อมใช้", "data_ready", {"min": 80})]),
                            ("2", "มีแผนปฏิบัติการในการพัฒนาครูและบุคลากรทางการศึกษาที่สอดคล้องกับนโยบาย"
                                  "และตอบสนองต่อความต้องการจำเป็นของเขตพื้นที่การศึกษาและสถานศึกษา",
                             "มีแผนปฏิบัติการในการพัฒนาครูและบุคลากรทางการศึกษา ครบทั้ง 2 ข้อ",
                             "follow_up_training",
                             [("สอดคล้องกับนโยบาย", "plan_policy", {}),
                              ("ตอบสนองต่อความต้องการจำเป็นของสำนักงานเขตพื้นที่การศึกษาและสถานศึกษา",
                               "plan_needs", {})]),
                            ("3", "มีการจัดทำแผนระยะต่าง ๆ", "มีการจัดทำแผนระยะต่าง ๆ ครบทั้ง 2 ข้อ",
                             "follow_up_training",
                             [("แผนระยะสั้นภายใน 3 ปี", "plan_short", {}),
                              ("แผนระยะยาว 3 ปีขึ้นไป", "plan_long", {})]),
                            ("4", "มีวิธีการหรือรูปแบบในการพัฒนาครูและบุคลากรทางการศึกษาอย่างทั่วถึง"
                                  "และสอดคล้องกับความต้องการจำเป็น",
                             "มีวิธีการหรือรูปแบบในการพัฒนาครูและบุคลากรทางการศึกษา ครบทุกข้อ",
                             "follow_up_training",
                             [("จัดได้อย่างทั่วถึงครอบคลุม", "methods_coverage", {"min": 80}),
                              ("สอดคล้องกับสภาพการปฏิบัติงาน", "methods_fit_work", {}),
                              ("ตรงกับความต้องการจำเป็นของครูและบุคลากรทางการศึกษา",
                               "methods_fit_needs", {"min": 50})]),
                            ("5", "มีการดำเนินการพัฒนาครูและบุคลากรทางการศึกษาตามแผนกลยุทธ์สู่การเป็นมืออาชีพ",
                             "การดำเนินการพัฒนาครูและบุคลากรทางการศึกษาตามแผนกลยุทธ์สู่การเป็นมืออาชีพ "
                             "ครบทั้ง 2 ข้อ",
                             "follow_up_training",
                             [("ครบถ้วนตามโครงการ/กิจกรรม", "projects_complete", {}),
                              ("เป็นไปตามระยะเวลาที่กำหนดตามแผนปฏิบัติการ", "projects_on_time", {})]),
                        ],
                    }
                ],
            },
            {
                "number": "5.6",
                "title": "สำนักงานเขตพื้นที่การศึกษาสร้างและพัฒนาเครือข่ายความร่วมมือในการจัดการศึกษา "
                         "(มาตรฐานที่ 5)",
                "indicators": [
                    {
                        "number": "1",
                        "title": "การสร้างและพัฒนาเครือข่าย",
                        "levels": SAR_LEVELS_56,
                        "items": [
                            ("1", "มีรูปแบบ วิธีการ ในการสร้างเครือข่าย",
                             "มีรูปแบบ วิธีการ ในการสร้างเครือข่าย โดยมีสภาพที่พึงประสงค์ อย่างน้อย 1 เครือข่าย",
                             "follow_up_networks",
                             [("การสร้างเครือข่ายทางวิชาการตามความต้องการและความสนใจอย่างต่อเนื่อง",
                               "network_built", {"min": 1})]),
                            ("2", "มีรูปแบบ วิธีการ ในการส่งเสริม สนับสนุน และพัฒนาการบริหารจัดการเครือข่าย",
                             "ครบทุกข้อ", "follow_up_networks",
                             [("กำหนดวิธีการ แนวปฏิบัติในการส่งเสริม สนับสนุน/พัฒนาการบริหารจัดการเครือข่าย",
                               "network_guidelines", {}),
                              ("แสวงหาเทคนิคหรือนวัตกรรมส่งเสริม สนับสนุน/พัฒนาการบริหารจัดการเครือข่าย",
                               "network_innovation", {})]),
                        ],
                    }
                ],
            },
        ],
    },
    {
        "code": "esa-2564",
        "name": "มาตรฐานสำนักงานเขตพื้นที่การศึกษา พ.ศ. 2564",
        "source": "มาตรฐานสำนักงานเขตพื้นที่การศึกษา พ.ศ. 2564 มาตรฐานที่ 2 ตัวชี้วัดที่ 3 ประเด็นที่ 3",
        # The rubric's wording is not confirmed against the published standard: the SAR
        # page asks the admin to check it (SarEdition.to_verify); documents never say so.
        "to_verify": True,
        "standards": [
            {
                "number": "2",
                "title": "การบริหารจัดการ",
                "indicators": [
                    {
                        "number": "3",
                        "title": "การบริหารงานบุคคล",
                        "levels": SAR_LEVELS_2564,
                        "items": [
                            ("3", "การพัฒนา ส่งเสริม และยกย่องเชิดชูเกียรติครูและบุคลากรทางการศึกษา",
                             "ครบทุกประเด็น", "follow_up_training",
                             [("การพัฒนาครูและบุคลากรทางการศึกษาอย่างทั่วถึง", "methods_coverage",
                               {"min": 80}),
                              ("การส่งเสริมความก้าวหน้าในวิชาชีพ (ข้อตกลงในการพัฒนางาน PA)",
                               "pa_agreements", {"min": 80}),
                              ("การยกย่องเชิดชูเกียรติ", "award_winners", {})]),
                        ],
                    }
                ],
            }
        ],
    },
]  # fmt: skip

INSPECTION_SOURCE = "แผนการตรวจราชการ กระทรวงศึกษาธิการ ประจำปีงบประมาณ พ.ศ. 2566"

# fiscal year → policies → focus points → questions (text, prefill key)
INSPECTION_POLICIES = {
    2566: [
        # Policy 2's focus points on teacher development (2.3, 2.4): the development group
        # answers these; the points on learners (2.1, 2.2, 2.5–2.9) belong to other groups.
        (2, "การยกระดับคุณภาพการศึกษา", [
            (3, "การพัฒนาครูในด้านการวัดและประเมินผลเพื่อพัฒนาการเรียนรู้ของผู้เรียน "
                "(Assessment for Learning)",
             "การพัฒนาครูในด้านการวัดและประเมินผลเพื่อพัฒนาการเรียนรู้ของผู้เรียน "
             "(Assessment for Learning)", [
                ("หน่วยงาน/สถานศึกษาดำเนินการพัฒนาครูด้านการวัดและประเมินผลเพื่อพัฒนาการเรียนรู้"
                 "ของผู้เรียน (Assessment for Learning)", ""),
                ("หน่วยงาน/สถานศึกษามีเครื่องมือการวัดและประเมินผลเพื่อพัฒนาการเรียนรู้ของผู้เรียน "
                 "(Assessment for Learning) ที่สามารถวัดผลสัมฤทธิ์การเรียนรู้ของผู้เรียนได้อย่างเหมาะสม"
                 "สอดคล้องกับบริบทของผู้เรียน", ""),
             ]),
            (4, "การจัดการเรียนรู้ด้วยการลงมือปฏิบัติจริง (Active Learning)",
             "การจัดการเรียนรู้ด้วยการลงมือปฏิบัติจริง (Active Learning)", [
                ("หน่วยงาน/สถานศึกษาดำเนินการจัดการเรียนรู้ด้วยการลงมือปฏิบัติจริง (Active Learning) "
                 "เพื่อพัฒนาผู้เรียน", ""),
                ("ครูและบุคลากรทางการศึกษาได้รับการพัฒนาสมรรถนะในการจัดการเรียนรู้ด้วยการลงมือปฏิบัติจริง "
                 "(Active Learning)", ""),
             ]),
        ]),
        (5, "การส่งเสริมสนับสนุนวิชาชีพครูและบุคลากรทางการศึกษาและบุคลากรสังกัดกระทรวงศึกษาธิการ", [
            (1, "การส่งเสริมสนับสนุนการดำเนินการตามหลักเกณฑ์การประเมินวิทยฐานะแนวใหม่ (หลักเกณฑ์ PA)",
             "การส่งเสริมสนับสนุนการดำเนินการตามหลักเกณฑ์การประเมินวิทยฐานะแนวใหม่ (หลักเกณฑ์ PA)", [
                ("การเสริมสร้างความรู้ ความเข้าใจเกี่ยวกับการดำเนินการตามมาตรฐานตำแหน่งและมาตรฐานวิทยฐานะฯ "
                 "ให้แก่หน่วยงานการศึกษา ครูและบุคลากรทางการศึกษา", "pa_training"),
                ("หน่วยงาน/สถานศึกษามีการดำเนินการตามหลักเกณฑ์การประเมินวิทยฐานะแนวใหม่ (หลักเกณฑ์ PA)",
                 "pa_status"),
             ]),
            (2, "การพัฒนาสมรรถนะของครูและบุคลากรทางการศึกษา ทางด้านเทคโนโลยีดิจิทัล "
                "และสมรรถนะที่สอดคล้องกับวิถีชีวิตแบบ New Normal",
             "การพัฒนาสมรรถนะของครูและบุคลากรทางการศึกษา ทางด้านเทคโนโลยีดิจิทัล "
             "และสมรรถนะที่สอดคล้องกับวิถีชีวิตแบบ New Normal", [
                ("หน่วยงาน/สถานศึกษามีการดำเนินการพัฒนาสมรรถนะของครูและบุคลากรทางการศึกษา "
                 "ทางด้านเทคโนโลยีดิจิทัล ตามกรอบระดับสมรรถนะดิจิทัล (Digital Competency)",
                 "digital_training"),
                ("หน่วยงาน/สถานศึกษาดำเนินการพัฒนาสมรรถนะของครูและบุคลากรทางการศึกษาที่สอดคล้องกับวิถีชีวิต"
                 "แบบ New Normal", "online_training"),
                ("ครูและบุคลากรทางการศึกษามีการนำความรู้ด้านเทคโนโลยีดิจิทัลไปพัฒนานวัตกรรมการศึกษา "
                 "การจัดการเรียนการสอน และการปฏิบัติงาน", "digital_follow_up"),
             ]),
            (3, "การแก้ไขปัญหาหนี้สินครูและบุคลากรทางการศึกษา",
             "การแก้ไขปัญหาหนี้สินครูและบุคลากรทางการศึกษา", [
                ("การขับเคลื่อนการดำเนินงานของสถานีแก้หนี้", "debt_clinic"),
                ("ผลการดำเนินการที่ครูและบุคลากรทางการศึกษาได้รับการช่วยเหลือแก้ไขปัญหาหนี้สิน", "debt_results"),
             ]),
        ]),
        (6, "การพัฒนาระบบราชการและการบริการภาครัฐยุคดิจิทัล", [
            (1, "การนำเทคโนโลยีมาใช้ในการบริหารจัดการและการให้บริการ",
             "การนำเทคโนโลยีมาใช้ในการบริหารจัดการและการให้บริการ", [
                ("หน่วยงาน/สถานศึกษานำเทคโนโลยีมาใช้พัฒนาระบบสารสนเทศทางการศึกษา "
                 "และการบริหารจัดการของหน่วยงาน/สถานศึกษา", "technology_use"),
                ("หน่วยงาน/สถานศึกษามีการพัฒนาบุคลากรให้มีความรู้ความสามารถและทักษะในการใช้ ICT "
                 "เพื่อการปฏิบัติงาน", "digital_training"),
                ("หน่วยงาน/สถานศึกษานำนวัตกรรมและเทคโนโลยีสารสนเทศมาใช้ประโยชน์ในการเรียนรู้",
                 "online_training"),
                ("หน่วยงาน/สถานศึกษานำนวัตกรรมและเทคโนโลยีมาใช้ในการบริหารจัดการด้านต่าง ๆ ในสถานศึกษา", ""),
                ("หน่วยงาน/สถานศึกษามีการใช้เทคโนโลยีมาใช้ในการจัดการเรียนรู้เพื่อยกระดับคุณภาพการศึกษา", ""),
                ("หน่วยงาน/สถานศึกษามีนำเทคโนโลยีมาใช้ในการให้บริการแก่ผู้รับบริการหรือประชาชนทั่วไป "
                 "เช่น การยื่นเอกสารอิเล็กทรอนิกส์", "e_services"),
             ]),
            (2, "การทำงานแบบบูรณาการ การมีส่วนร่วมกับชุมชน หน่วยงาน องค์กรอื่น ๆ "
                "ทั้งในพื้นที่และหน่วยงานอื่น ๆ ที่เกี่ยวข้อง",
             "การทำงานแบบบูรณาการ การมีส่วนร่วม กับชุมชน หน่วยงาน องค์กรอื่น ๆ", [
                ("หน่วยงาน/สถานศึกษามีแนวทางสร้างความร่วมมือกับภาคีเครือข่ายที่เกี่ยวข้อง "
                 "เพื่อร่วมพัฒนาการจัดการศึกษา", "partnerships"),
                ("หน่วยงาน/สถานศึกษามีการทำงานแบบบูรณาการ การขับเคลื่อนการดำเนินงานด้านการบริการ"
                 "และการจัดการศึกษาร่วมกันระหว่างชุมชน โรงเรียน และครอบครัว", "networks"),
                ("หน่วยงาน/สถานศึกษามีการสร้างความรู้ความเข้าใจในการปฏิบัติงานด้านการจัดการศึกษาขั้นพื้นฐาน"
                 "โดยบุคคล ครอบครัว องค์กรชุมชน องค์กรเอกชน องค์กรวิชาชีพ และสถานประกอบการ", ""),
             ]),
        ]),
    ],
}  # fmt: skip


def load_reference_data(apps) -> None:
    KpiTarget = apps.get_model("reporting", "KpiTarget")
    # The technology KPI once counted course titles by keyword; it now counts evidence.
    technology = next(t for t in KPI_TARGETS if t[0] == "tech-proficiency")
    KpiTarget.objects.filter(formula="tech_developed_share").update(
        formula=technology[2], params=technology[5]
    )
    for order, (code, name, formula, kind, target, params, source) in enumerate(KPI_TARGETS, 1):
        KpiTarget.objects.update_or_create(
            office=None,
            code=code,
            defaults=dict(name=name, formula=formula, kind=kind, target=target, params=params,
                          source=source, sort_order=order),
        )  # fmt: skip
    load_sar_editions(apps)
    load_inspection(apps)


def load_sar_editions(apps) -> None:
    Edition = apps.get_model("reporting", "SarEdition")
    Standard = apps.get_model("reporting", "SarStandard")
    Indicator = apps.get_model("reporting", "SarIndicator")
    Item = apps.get_model("reporting", "SarItem")
    Point = apps.get_model("reporting", "SarPoint")
    Level = apps.get_model("reporting", "SarLevelRule")
    for spec in SAR_EDITIONS:
        defaults = {"name": spec["name"], "source": spec["source"]}
        if any(f.name == "to_verify" for f in Edition._meta.get_fields()):  # from 0003 on
            defaults["to_verify"] = spec.get("to_verify", False)
        edition, _ = Edition.objects.update_or_create(code=spec["code"], defaults=defaults)
        for s_order, s in enumerate(spec["standards"], 1):
            standard, _ = Standard.objects.update_or_create(
                edition=edition, number=s["number"],
                defaults={"title": s["title"], "sort_order": s_order},
            )  # fmt: skip
            for i_order, ind in enumerate(s["indicators"], 1):
                indicator, _ = Indicator.objects.update_or_create(
                    standard=standard, number=ind["number"],
                    defaults={"title": ind["title"], "sort_order": i_order},
                )  # fmt: skip
                for level, text, evidence_in, clear_in, follow in ind["levels"]:
                    Level.objects.update_or_create(
                        indicator=indicator, level=level,
                        defaults=dict(description=text, evidence_in=evidence_in, clear_in=clear_in,
                                      needs_follow_up=follow),
                    )  # fmt: skip
                for n_order, (number, title, req, follow_key, points) in enumerate(ind["items"], 1):
                    item, _ = Item.objects.update_or_create(
                        indicator=indicator, number=number,
                        defaults=dict(title=title, requirement=req, follow_up_key=follow_key,
                                      sort_order=n_order),
                    )  # fmt: skip
                    for p_order, (text, key, params) in enumerate(points, 1):
                        Point.objects.update_or_create(
                            item=item, sort_order=p_order,
                            defaults={"text": text, "evidence_key": key, "params": params},
                        )  # fmt: skip


def load_inspection(apps) -> None:
    Policy = apps.get_model("reporting", "InspectionPolicy")
    Point = apps.get_model("reporting", "FocusPoint")
    Question = apps.get_model("reporting", "FocusQuestion")
    for year, policies in INSPECTION_POLICIES.items():
        for number, title, points in policies:
            policy, _ = Policy.objects.update_or_create(
                fiscal_year=year, number=number,
                defaults={"title": title, "source": INSPECTION_SOURCE},
            )  # fmt: skip
            for p_number, p_title, bp_topic, questions in points:
                point, _ = Point.objects.update_or_create(
                    policy=policy, number=p_number,
                    defaults={"title": p_title, "best_practice_topic": bp_topic},
                )  # fmt: skip
                for q_number, (text, key) in enumerate(questions, 1):
                    Question.objects.update_or_create(
                        point=point, number=q_number, defaults={"text": text, "prefill_key": key}
                    )
