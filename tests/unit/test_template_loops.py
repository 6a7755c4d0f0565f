"""template.yaml says each thing once: ``Fn::ForEach`` loops (AWS::LanguageExtensions) write the
per-function and per-table resources. These tests read the loops written out, as CloudFormation and
the local run see them (``localrun.template.load``), so a function added without its log group or
alarms, or a table without its throttle alarm, fails here."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from localrun import template

EXPANDED: dict[str, Any] = template.load()
RESOURCES: dict[str, Any] = EXPANDED["Resources"]
AS_WRITTEN: dict[str, Any] = template.load_as_written()
FUNCTIONS = sorted(template.functions())
TABLES = sorted(template.resources_of_type("AWS::DynamoDB::Table"))
SAM_PYTHON = template.ROOT / ".venv-sam" / "bin" / "python"


def of_type(type_name: str) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in RESOURCES.items() if v["Type"] == type_name}


def test_the_loops_name_exactly_the_functions_of_the_template():
    reserve = AS_WRITTEN["Conditions"]["Fn::ForEach::Reserve"]
    looped = reserve[1]
    assert sorted(f"{name}Function" for name in looped) == FUNCTIONS
    # the log groups and the alarms iterate over the same list (one YAML anchor), not a copy of it
    assert AS_WRITTEN["Resources"]["Fn::ForEach::LogGroups"][1] is looped
    assert AS_WRITTEN["Resources"]["Fn::ForEach::FunctionAlarms"][1] is looped


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_has_one_log_group_and_both_alarms(function):
    name = function.removesuffix("Function")
    groups = [
        logical_id
        for logical_id, props in of_type("AWS::Logs::LogGroup").items()
        if json.dumps({"Ref": function}) in json.dumps(props.get("LogGroupName"))
    ]
    assert groups == [f"{name}LogGroup"]  # the logical id of the log group holding its logs is unchanged
    group = RESOURCES[f"{name}LogGroup"]["Properties"]
    assert group["LogGroupName"] == {"Fn::Sub": ["/aws/lambda/${Function}", {"Function": {"Ref": function}}]}
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}

    alarms = {
        logical_id: props
        for logical_id, props in of_type("AWS::CloudWatch::Alarm").items()
        if props.get("Namespace") == "AWS/Lambda" and props.get("MetricName") in {"Errors", "Throttles"}
        and props["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function}}]
    }  # fmt: skip
    assert sorted(alarms) == [f"{name}ErrorsAlarm", f"{name}ThrottlesAlarm"]
    for metric in ("Errors", "Throttles"):
        alarm = alarms[f"{name}{metric}Alarm"]
        assert alarm["MetricName"] == metric
        assert alarm["AlarmName"] == {"Fn::Sub": f"${{AWS::StackName}}-{name}{metric}"}
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
        assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Sum", 300, 1)
        description, values = alarm["AlarmDescription"]["Fn::Sub"]
        assert description == f"{function} ${{Says}}. See docs/operations.md#lambda-${{Anchor}}."
        assert values["Anchor"] == {"Fn::FindInMap": ["FunctionAlarms", metric, "Anchor"]}
        assert EXPANDED["Mappings"]["FunctionAlarms"][metric]["Anchor"] == metric.lower()


@pytest.mark.parametrize("table", TABLES)
def test_every_table_and_each_of_its_indexes_is_alarmed_on_read_and_write_throttling(table):
    assert f"{table}ThrottlesAlarm" in RESOURCES
    # An alarm takes at most 10 metrics: a table with more indexes has more alarms (<Table>…ThrottlesAlarm).
    alarms = [r["Properties"] for n, r in RESOURCES.items() if n.startswith(table) and n.endswith("ThrottlesAlarm")]
    watched = set()
    for query in [q for one in alarms for q in one["Metrics"]]:
        if "MetricStat" not in query:
            continue
        metric = query["MetricStat"]["Metric"]
        dimensions = {d["Name"]: d["Value"] for d in metric["Dimensions"]}
        assert "Operation" not in dimensions  # the table's throttle events, not one metric per DynamoDB call
        if dimensions["TableName"] == {"Ref": table}:
            watched.add((metric["MetricName"], dimensions.get("GlobalSecondaryIndexName")))
    indexes = [i["IndexName"] for i in RESOURCES[table]["Properties"].get("GlobalSecondaryIndexes", [])]
    for index in [None, *indexes]:
        assert ("ReadThrottleEvents", index) in watched, index
        assert ("WriteThrottleEvents", index) in watched, index
    for one in alarms:
        (expression,) = [q for q in one["Metrics"] if q.get("ReturnData")]
        ids = [q["Id"] for q in one["Metrics"] if "MetricStat" in q]
        assert len(ids) <= 10  # CloudWatch's limit for a metric math alarm
        assert all(f"FILL({i}, 0)" in expression["Expression"] for i in ids)  # every metric counts
        assert (one["Threshold"], one["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def test_no_function_names_its_handler_the_globals_do():
    assert EXPANDED["Globals"]["Function"]["Handler"] == "app.lambda_handler"
    assert not [f for f in FUNCTIONS if "Handler" in RESOURCES[f]["Properties"]]
    assert {f.handler for f in template.functions().values()} == {"app.lambda_handler"}


def test_a_function_may_still_name_its_own_handler_and_one_without_any_is_refused():
    me = {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "functions/me/"}}
    other = {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "functions/me/", "Handler": "other.main"}}
    written = {"Globals": {"Function": {"Handler": "app.lambda_handler"}}, "Resources": {"A": me, "B": other}}
    handlers = {k: f.handler for k, f in template.functions(written).items()}
    assert handlers == {"A": "app.lambda_handler", "B": "other.main"}
    with pytest.raises(ValueError, match="A has no Handler"):
        template.functions({"Resources": {"A": me}})


def test_the_stateful_resources_keep_their_logical_ids():
    # renaming one would make CloudFormation replace it: a new, empty table, bucket, key or log group
    for logical_id, type_name in [
        ("AppTable", "AWS::DynamoDB::Table"), ("IdempotencyTable", "AWS::DynamoDB::Table"),
        ("AuditTable", "AWS::DynamoDB::Table"), ("AttachmentsBucket", "AWS::S3::Bucket"),
        ("AccessLogsBucket", "AWS::S3::Bucket"), ("PortalBucket", "AWS::S3::Bucket"),
        ("DataKey", "AWS::KMS::Key"), ("IdentityKeySecret", "AWS::SecretsManager::Secret"),
        ("ApiAccessLogGroup", "AWS::Logs::LogGroup"), ("WafLogGroup", "AWS::Logs::LogGroup"),
    ]:  # fmt: skip
        assert RESOURCES[logical_id]["Type"] == type_name


def test_the_gateway_answers_keep_the_contract_error_shape():
    answers = EXPANDED["Mappings"]["GatewayAnswers"]
    for name, answer in answers.items():
        props = RESOURCES[f"{name}Response"]["Properties"]
        assert props["ResponseType"] == {"Fn::FindInMap": ["GatewayAnswers", name, "Type"]}
        assert props["StatusCode"] == {"Fn::FindInMap": ["GatewayAnswers", name, "Status"]}
        body, values = props["ResponseTemplates"]["application/json"]["Fn::Sub"]
        filled = body.replace("${Code}", answer["Code"]).replace("${Message}", answer["Message"])
        assert json.loads(filled.replace("$context.requestId", "r1")) == {
            "code": answer["Code"], "message": answer["Message"], "errors": [], "requestId": "r1"
        }  # fmt: skip
        assert values == {"Code": {"Fn::FindInMap": ["GatewayAnswers", name, "Code"]},
                          "Message": {"Fn::FindInMap": ["GatewayAnswers", name, "Message"]}}  # fmt: skip
        assert props["ResponseParameters"] == RESOURCES["Default4xxResponse"]["Properties"]["ResponseParameters"]
    assert answers["Unauthorized"] == {"Type": "UNAUTHORIZED", "Status": "401", "Code": "UNAUTHENTICATED",
                                       "Message": "请先登录"}  # fmt: skip
    assert answers["AuthorizerFailure"]["Status"] == "503"


# --- the expansion itself ----------------------------------------------------------------------------


def test_expand_writes_nested_loops_with_identifiers_in_keys_strings_and_refs():
    written = template.expand(
        {
            "Keep": {"Type": "T"},
            "Fn::ForEach::Outer": [
                "Fn",
                ["A", "B"],
                {
                    "Fn::ForEach::Inner": [
                        "M",
                        ["X", "Y.z"],
                        {
                            "${Fn}&{M}": {
                                "Name": {"Fn::Sub": "${AWS::StackName}-${Fn}"},
                                "Metric": {"Ref": "M"},
                                "Target": {"Ref": {"Fn::Sub": "${Fn}Function"}},
                                "Other": {"Ref": "Fn2"},
                            }
                        },
                    ]
                },
            ],
        }
    )
    assert list(written) == ["Keep", "AX", "AYz", "BX", "BYz"]
    assert written["BYz"] == {
        "Name": {"Fn::Sub": "${AWS::StackName}-B"},
        "Metric": "Y.z",
        "Target": {"Ref": "BFunction"},
        "Other": {"Ref": "Fn2"},
    }


def test_expand_refuses_a_loop_that_writes_a_name_twice_or_a_collection_it_cannot_read():
    with pytest.raises(ValueError, match="writes Keep twice"):
        template.expand({"Keep": 1, "Fn::ForEach::L": ["X", ["p"], {"Kee${X}": 2}]})
    with pytest.raises(ValueError, match="literal collection"):
        template.expand({"Fn::ForEach::L": ["X", {"Ref": "SomeList"}, {"${X}": 1}]})


@pytest.mark.skipif(not SAM_PYTHON.exists(), reason="the SAM CLI's virtualenv (.venv-sam, `make validate`) is missing")
def test_the_local_run_writes_the_same_logical_ids_as_the_sam_cli():
    script = (
        "import json, sys\n"
        "from samcli.yamlhelper import yaml_parse\n"
        "from samcli.lib.cfn_language_extensions.sam_integration import expand_language_extensions\n"
        "t = yaml_parse(open(sys.argv[1], encoding='utf-8').read())\n"
        "e = expand_language_extensions(t, enabled=True).expanded_template\n"
        "print(json.dumps({s: sorted(e.get(s, {})) for s in ('Conditions', 'Resources', 'Outputs')}))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [str(SAM_PYTHON), "-c", script, str(template.TEMPLATE)], capture_output=True, text=True, timeout=120, check=True
    )
    sam = json.loads(done.stdout)
    for section in ("Conditions", "Resources", "Outputs"):
        assert sam[section] == sorted(EXPANDED.get(section, {})), section


def test_the_dashboard_shows_every_function_in_its_lambda_widgets():
    # the dashboard's body is one JSON string: CloudFormation cannot loop inside it, so this test is the list's check
    body = re.sub(r"\$\{([\w:.]+)\}", r"\1", RESOURCES["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"])
    shown: dict[str, set[str]] = {}
    for widget in json.loads(body)["widgets"]:
        for metric in widget["properties"].get("metrics", []):
            if metric[0] == "AWS/Lambda" and metric[2] == "FunctionName":
                shown.setdefault(metric[1], set()).add(metric[3])
    for name in ("Errors", "Duration", "Throttles", "ConcurrentExecutions"):
        assert sorted(shown[name]) == FUNCTIONS, name
