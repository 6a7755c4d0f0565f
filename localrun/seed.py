"""Demo positions (见习岗位) for the local run, across several Shanxi cities.

The units are fictional; their unified social credit codes are valid GB 32100-2015 codes built for
the demo (registration authority, category, the city's 6-digit region code, an organisation code
with its GB 11714 check digit, and the GB 32100 check character). Deadlines are relative to today,
so the catalogue is never empty. One position is CLOSED, as a real catalogue would have.

Idempotent: the ids are fixed (uuid5) and every write is conditional on the item not existing, so
seeding twice (a restart against the same moto server) leaves the first seeding untouched.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

_NAMESPACE = uuid.UUID("6f1c2a52-4a43-4c51-9a39-0f6c3f0b8e11")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code(body: str) -> str:
    """GB 11714 organisation code: 8 digits and their check character."""
    check = 11 - sum(int(d) * w for d, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(authority_category: str, region_code: str, org_body: str) -> str:
    """A valid unified social credit code, e.g. ``credit_code("91", "140105", "MA0K1234")``."""
    from internship import checks

    first17 = authority_category + region_code + _org_code(org_body)
    return first17 + checks.credit_check_char(first17)


# One demo position per dict: the fields of a maintenance request, plus ``kind`` (the first two
# characters of the credit code: "91" enterprise, "12" public institution, "52" private
# non-enterprise unit), ``org`` (8 digits of the organisation code), ``days`` (until the deadline)
# and ``closed``.
_DEMO: list[dict[str, Any]] = [
    {
        "title": "软件测试见习岗",
        "unitName": "山西晋创软件科技有限公司",
        "kind": "91",
        "regionCode": "140105",
        "org": "05731846",
        "address": "太原市小店区长治路227号高新国际大厦12层",
        "educationRequirement": "大专及以上",
        "majorRequirement": "计算机科学与技术、软件工程",
        "headcount": 4,
        "monthlyAllowance": 2200,
        "periodMonths": 6,
        "contactName": "张经理",
        "contactPhone": "0351-7021688",
        "days": 45,
        "description": "参与政务服务类软件的功能测试与自动化测试脚本编写，由资深测试工程师带教，熟悉 Python 者优先。",
        "closed": False,
    },
    {
        "title": "社区服务见习岗",
        "unitName": "太原市迎泽区柳巷街道社区服务中心",
        "kind": "12",
        "regionCode": "140106",
        "org": "40513372",
        "address": "太原市迎泽区柳巷南路58号",
        "educationRequirement": "大专及以上",
        "majorRequirement": "社会工作、公共事业管理",
        "headcount": 3,
        "monthlyAllowance": 1800,
        "periodMonths": 6,
        "contactName": "王老师",
        "contactPhone": "0351-4182035",
        "days": 30,
        "description": "协助开展社区居民服务、就业政策宣传与台账整理，熟悉基层公共服务工作流程。",
        "closed": False,
    },
    {
        "title": "文旅讲解见习岗",
        "unitName": "大同古城文化旅游发展有限公司",
        "kind": "91",
        "regionCode": "140213",
        "org": "78215964",
        "address": "大同市平城区和阳街华严寺东侧",
        "educationRequirement": "大专及以上",
        "majorRequirement": "旅游管理、历史学、汉语言文学",
        "headcount": 5,
        "monthlyAllowance": 1900,
        "periodMonths": 6,
        "contactName": "赵女士",
        "contactPhone": "0352-2045117",
        "days": 60,
        "description": "在华严寺、九龙壁等景点开展讲解服务，参与研学活动策划。普通话二级甲等以上者优先。",
        "closed": False,
    },
    {
        "title": "机械设计见习岗",
        "unitName": "长治市潞安精工机械制造有限公司",
        "kind": "91",
        "regionCode": "140403",
        "org": "66307521",
        "address": "长治市潞州区太行西街312号",
        "educationRequirement": "本科及以上",
        "majorRequirement": "机械设计制造及其自动化、机械电子工程",
        "headcount": 2,
        "monthlyAllowance": 2400,
        "periodMonths": 12,
        "contactName": "李工",
        "contactPhone": "0355-3036219",
        "days": 75,
        "description": "参与煤矿机械零部件的三维建模与工艺图纸绘制，掌握 SolidWorks 或 AutoCAD。",
        "closed": False,
    },
    {
        "title": "会计助理见习岗",
        "unitName": "晋中市榆次区诚信财税服务有限公司",
        "kind": "91",
        "regionCode": "140702",
        "org": "31628740",
        "address": "晋中市榆次区顺城街136号",
        "educationRequirement": "大专及以上",
        "majorRequirement": "会计学、财务管理、税收学",
        "headcount": 2,
        "monthlyAllowance": 1800,
        "periodMonths": 6,
        "contactName": "孙会计",
        "contactPhone": "13934561208",
        "days": 20,
        "description": "协助代理记账、纳税申报和票据整理，掌握常用财务软件，持初级会计职称者优先。",
        "closed": False,
    },
    {
        "title": "农产品电商运营见习岗",
        "unitName": "运城市盐湖区果香农产品电子商务有限公司",
        "kind": "91",
        "regionCode": "140802",
        "org": "52901736",
        "address": "运城市盐湖区解放南路电商产业园3号楼",
        "educationRequirement": "中专及以上",
        "majorRequirement": "电子商务、市场营销",
        "headcount": 6,
        "monthlyAllowance": 2000,
        "periodMonths": 6,
        "contactName": "杨经理",
        "contactPhone": "0359-2216630",
        "days": 40,
        "description": "负责苹果、红枣等本地农产品的网店运营、直播带货与客服，协助开展农村电商培训。",
        "closed": False,
    },
    {
        "title": "护理见习岗",
        "unitName": "临汾市尧都区康宁医院",
        "kind": "52",
        "regionCode": "141002",
        "org": "09418362",
        "address": "临汾市尧都区鼓楼南大街89号",
        "educationRequirement": "大专及以上",
        "majorRequirement": "护理学",
        "headcount": 8,
        "monthlyAllowance": 2100,
        "periodMonths": 12,
        "contactName": "刘护士长",
        "contactPhone": "0357-2093351",
        "days": 90,
        "description": "在内科、外科病区轮转见习，参与基础护理与健康宣教，须取得或正在考取护士执业资格。",
        "closed": False,
    },
    {
        "title": "化工检验见习岗",
        "unitName": "晋城市沁水煤层气化工检测有限公司",
        "kind": "91",
        "regionCode": "140502",
        "org": "71150684",
        "address": "晋城市城区凤台东街1158号",
        "educationRequirement": "本科及以上",
        "majorRequirement": "化学工程与工艺、应用化学、分析化学",
        "headcount": 3,
        "monthlyAllowance": 2300,
        "periodMonths": 6,
        "contactName": "陈工",
        "contactPhone": "0356-2187452",
        "days": 50,
        "description": "参与煤层气及化工产品的取样、理化检验和数据记录，严格遵守实验室安全规范。",
        "closed": False,
    },
    {
        "title": "教学辅助见习岗",
        "unitName": "忻州市忻府区实验小学",
        "kind": "12",
        "regionCode": "140902",
        "org": "40762035",
        "address": "忻州市忻府区和平街42号",
        "educationRequirement": "本科及以上",
        "majorRequirement": "小学教育、汉语言文学、数学与应用数学",
        "headcount": 3,
        "monthlyAllowance": 1700,
        "periodMonths": 12,
        "contactName": "周主任",
        "contactPhone": "0350-3036125",
        "days": 35,
        "description": "协助开展课堂教学、课后服务和班级管理，参加学校教研活动，持教师资格证者优先。",
        "closed": False,
    },
    {
        "title": "行政文员见习岗",
        "unitName": "山西汾水人力资源服务有限公司",
        "kind": "91",
        "regionCode": "140105",
        "org": "69273810",
        "address": "太原市小店区体育路28号",
        "educationRequirement": "大专及以上",
        "majorRequirement": "行政管理、文秘",
        "headcount": 2,
        "monthlyAllowance": 1800,
        "periodMonths": 6,
        "contactName": "高女士",
        "contactPhone": "0351-7890126",
        "days": 15,
        "description": "负责公文收发、会议记录和档案整理。该岗位已招满，仅供展示已关闭岗位。",
        "closed": True,
    },
]


def demo_positions(today: Any = None) -> list[dict[str, Any]]:
    """The demo positions as stored items (validated by the same rules as maintenance requests)."""
    from internship import clock
    from internship.positions import repository
    from internship.positions.models import PositionInput, PositionStatus

    today = today or clock.today()
    now = clock.now()
    items = []
    for index, demo in enumerate(_DEMO):
        fields = {k: v for k, v in demo.items() if k not in {"kind", "org", "days", "closed"}}
        body = PositionInput.model_validate(
            {
                **fields,
                "unitCreditCode": credit_code(demo["kind"], demo["regionCode"], demo["org"]),
                "deadline": (today + timedelta(days=demo["days"])).isoformat(),
            }
        )
        position_id = str(uuid.uuid5(_NAMESPACE, f"demo-position-{index}"))
        # Published a few hours apart, the first listed first (newest).
        created_at = clock.iso(now - timedelta(hours=3 * index + 1))
        position = repository.new_item(
            position_id, body.model_dump(by_alias=True, mode="json"), created_at=created_at, created_by="seed"
        )
        if demo["closed"]:
            position = replace(position, status=PositionStatus.CLOSED, filled=demo["headcount"], version=2)
        items.append(position.item())
    return items


def reviewers() -> list[dict[str, Any]]:
    """The jurisdictions of the local run's SigV4 identities (``localrun.sigv4.IDENTITIES``)."""
    from internship import clock
    from internship.reviewers.repository import ReviewerItem
    from localrun.sigv4 import IDENTITIES

    return [
        ReviewerItem(identity.user_arn, identity.jurisdiction, identity.name, clock.iso(clock.now()), "seed").item()
        for identity in IDENTITIES.values()
    ]


def seed(dynamodb: Any, table_name: str) -> None:
    """Write the demo positions and the local identities' jurisdictions into ``table_name`` (skipping
    those already there)."""
    from botocore.exceptions import ClientError

    from internship import dynamo

    for item in [*demo_positions(), *reviewers()]:
        try:
            dynamodb.put_item(
                TableName=table_name, Item=dynamo.to_item(item), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if dynamo.error_code(error) != "ConditionalCheckFailedException":
                raise
