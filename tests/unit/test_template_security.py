"""template.yaml as the 等保 2.0 level-3 assessment reads it (docs/operations.md): access logs without
personal data, an append-only audit trail, least-privilege keys, WAF, S3 access logs, reserved
concurrency and retention. Parsed with the local run's own loader (``localrun.template``)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from localrun import template

RESOURCES: dict[str, Any] = template.load()["Resources"]
PARAMETERS: dict[str, Any] = template.load()["Parameters"]
FUNCTIONS = template.functions()


def statements(function: str) -> list[dict[str, Any]]:
    """Every inline statement of a function's policies (both branches of an ``Fn::If``)."""
    found: list[dict[str, Any]] = []
    for policy in RESOURCES[function]["Properties"].get("Policies", []):
        branches = policy["Fn::If"][1:] if "Fn::If" in policy else [policy]
        for branch in branches:
            if isinstance(branch, dict) and "Statement" in branch:
                found += branch["Statement"]
    return found


def actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def mentions(value: Any, logical_id: str) -> bool:
    return re.search(rf"\b{logical_id}\b", json.dumps(value)) is not None


# --- API Gateway access logs ---------------------------------------------------------------------


def access_log() -> dict[str, Any]:
    return RESOURCES["Api"]["Properties"]["AccessLogSetting"]


def test_the_api_writes_a_json_access_log_line_per_request_to_a_log_group_with_retention():
    setting = access_log()
    assert setting["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    group = RESOURCES["ApiAccessLogGroup"]["Properties"]
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    line = json.loads(setting["Format"])  # valid JSON once API Gateway fills the variables
    assert {"requestId", "principalArn", "principalId", "httpMethod", "resourcePath", "status", "latencyMs",
            "sourceIp"} <= set(line)  # fmt: skip
    assert line["resourcePath"] == "$context.resourcePath"
    assert line["principalArn"] == "$context.identity.userArn"
    assert RESOURCES["ApiGatewayAccount"]["Type"] == "AWS::ApiGateway::Account"


def test_the_access_log_has_no_query_strings_bodies_or_headers():
    text = access_log()["Format"]
    for leak in ("querystring", "$input", "$context.path", "requestOverride", "$method.request", "header"):
        assert leak.lower() not in text.lower()


# --- the audit trail -------------------------------------------------------------------------------


def test_the_audit_table_is_protected_recoverable_and_indexed_for_both_questions():
    table = RESOURCES["AuditTable"]
    props = table["Properties"]
    assert table["DeletionPolicy"] == "Retain"
    assert props["DeletionProtectionEnabled"] is True
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert "TimeToLiveSpecification" not in props  # nothing deletes audit records
    assert "StreamSpecification" not in props
    assert [i["IndexName"] for i in props["GlobalSecondaryIndexes"]] == ["GSI1", "GSI2"]


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_no_function_can_change_or_delete_an_audit_record(function):
    for statement in statements(function):
        if not mentions(statement.get("Resource"), "AuditTable"):
            continue
        assert set(actions(statement)) <= {"dynamodb:PutItem", "dynamodb:Query"}, statement
    for policy in RESOURCES[function]["Properties"].get("Policies", []):
        # no SAM policy template (DynamoDBCrudPolicy …) names the audit table
        if "Statement" not in policy and "Fn::If" not in policy:
            assert not mentions(policy, "AuditTable"), policy


def test_only_the_review_and_unit_functions_write_the_audit_and_only_the_audit_function_reads_it():
    writers = {f for f in FUNCTIONS for s in statements(f)
               if mentions(s.get("Resource"), "AuditTable") and "dynamodb:PutItem" in actions(s)}  # fmt: skip
    readers = {f for f in FUNCTIONS for s in statements(f)
               if mentions(s.get("Resource"), "AuditTable") and "dynamodb:Query" in actions(s)}  # fmt: skip
    # Reviewers' reads and decisions, and host units' reads of applicants (SPEC §4 Review, "Audit").
    assert writers == {"ReviewFunction", "UnitFunction"}
    assert readers == {"AuditFunction"}
    (route,) = FUNCTIONS["AuditFunction"].routes
    assert (route.method, route.path, route.auth) == ("GET", "/review/audit", "AWS_IAM")


def test_the_audit_function_reads_of_the_application_table_only_its_callers_jurisdiction():
    # /review/* acts inside the caller's jurisdiction (SPEC §4): the trail reads the caller's reviewer item, no case
    on_app_table = [s for s in statements("AuditFunction") if mentions(s.get("Resource"), "AppTable")]
    (statement,) = on_app_table
    assert actions(statement) == ["dynamodb:GetItem"]
    assert statement["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["REVIEWER#*"]}}


def test_the_unit_function_touches_only_positions_and_its_units_index_partitions():
    # A host unit's function: POSITION#… items (its positions, their changes) and the UNIT#… index
    # partitions (its positions and applicants); no session, profile, attachment or application item.
    on_app_table = [s for s in statements("UnitFunction") if mentions(s.get("Resource"), "AppTable")]
    (statement,) = on_app_table
    assert "dynamodb:Scan" not in actions(statement)
    assert statement["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["POSITION#*", "UNIT#*"]}}
    policies = RESOURCES["UnitFunction"]["Properties"]["Policies"]
    assert not [p for p in policies if "Statement" not in p and "Fn::If" not in p]  # no SAM CRUD template


# --- the customer-managed key -----------------------------------------------------------------------


def key_statements() -> list[dict[str, Any]]:
    return RESOURCES["DataKey"]["Properties"]["KeyPolicy"]["Statement"]


CRYPTO = {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:Encrypt*", "kms:Decrypt*"}


def role_patterns(statement: dict[str, Any]) -> set[str]:
    arns = statement.get("Condition", {}).get("ArnLike", {}).get("aws:PrincipalArn", [])
    return {re.search(r"\$\{AWS::StackName\}-(\w+)Role-\*", a["Fn::Sub"]).group(1) for a in arns}  # type: ignore[union-attr]


def test_the_key_lets_the_account_administer_it_but_not_use_it():
    (admin,) = [s for s in key_statements() if s["Sid"] == "KeyAdministrationNotUse"]
    assert not CRYPTO & set(actions(admin))
    assert "kms:*" not in actions(admin)


def test_every_statement_that_can_use_the_key_names_its_roles_or_a_service_and_a_condition():
    for statement in key_statements():
        if not CRYPTO & set(actions(statement)):
            continue
        principal = statement["Principal"]
        assert "Condition" in statement, statement["Sid"]
        if "Service" in principal:
            continue  # CloudWatch Logs (this stack's log groups) and CloudWatch alarms (the topic)
        assert statement["Condition"]["StringEquals"]["kms:ViaService"], statement["Sid"]
        assert role_patterns(statement), statement["Sid"]


def test_the_key_policy_names_exactly_the_roles_that_use_the_encrypted_resources():
    by_sid = {s["Sid"]: role_patterns(s) for s in key_statements() if role_patterns(s)}
    assert by_sid["TablesThroughDynamoDB"] == set(FUNCTIONS)  # every function reads a table or its stream
    # the attachments are also read by GuardDuty's malware scan, through its own role
    scanner = "MalwareProtection"
    assert by_sid["AttachmentsThroughS3"] == {
        "AttachmentsFunction",
        "QueryApplicationsFunction",
        "ReviewFunction",
        "RegistrationsFunction",
        scanner,
    }
    # the publisher's failure queue, and the notification queue NotifyFunction reads
    assert by_sid["FailureQueueThroughSqs"] == {"EventPublisherFunction", "NotifyFunction"}
    # and the functions' own policies agree, service by service
    for sid, policy in (("TablesThroughDynamoDB", "KeyViaDynamoDB"), ("AttachmentsThroughS3", "KeyViaS3"),
                        ("FailureQueueThroughSqs", "KeyViaSqs")):  # fmt: skip
        assert {f for f in FUNCTIONS if policy in key_policies(f)} == by_sid[sid] - {scanner}
    scanner_policies = RESOURCES["MalwareProtectionRole"]["Properties"]["ManagedPolicyArns"]
    assert {"Fn::If": ["UseCmk", {"Ref": "KeyViaS3"}, {"Ref": "AWS::NoValue"}]} in scanner_policies


def key_policies(function: str) -> set[str]:
    """The managed policies a function's role gets only when there is a customer-managed key."""
    return {
        policy["Fn::If"][1]["Ref"]
        for policy in RESOURCES[function]["Properties"].get("Policies", [])
        if "Fn::If" in policy and policy["Fn::If"][0] == "UseCmk"
    }


@pytest.mark.parametrize(("policy", "host"), [("KeyViaDynamoDB", "dynamodb"), ("KeyViaS3", "s3"), ("KeyViaSqs", "sqs")])
def test_a_role_may_use_the_key_only_through_the_service_that_encrypts_the_data(policy, host):
    resource = RESOURCES[policy]
    assert resource["Condition"] == "UseCmk"
    (statement,) = resource["Properties"]["PolicyDocument"]["Statement"]
    key = {"Fn::If": ["HasKmsKeyArn", {"Ref": "KmsKeyArn"}, {"Fn::GetAtt": ["DataKey", "Arn"]}]}
    assert statement["Resource"] == key
    via = statement["Condition"]["StringEquals"]["kms:ViaService"]["Fn::Sub"]
    assert via[0] == "${Host}.${AWS::Region}.${AWS::URLSuffix}"
    mapping, key, field = via[1]["Host"]["Fn::FindInMap"]
    assert template.load()["Mappings"][mapping][key][field] == host


@pytest.mark.parametrize(
    ("logical_id", "path"),
    [
        ("AppTable", ["SSESpecification", "KMSMasterKeyId"]),
        ("IdempotencyTable", ["SSESpecification", "KMSMasterKeyId"]),
        ("AuditTable", ["SSESpecification", "KMSMasterKeyId"]),
        ("AttachmentsBucket", ["BucketEncryption", "ServerSideEncryptionConfiguration", 0,
                               "ServerSideEncryptionByDefault", "KMSMasterKeyID"]),
        ("PublisherFailureQueue", ["KmsMasterKeyId"]),
        ("NotificationQueue", ["KmsMasterKeyId"]),
        ("NotificationDeadLetterQueue", ["KmsMasterKeyId"]),
        ("AlarmTopic", ["KmsMasterKeyId"]),
        ("ApiAccessLogGroup", ["KmsKeyId"]),
        ("ReviewLogGroup", ["KmsKeyId"]),
    ],
)  # fmt: skip
def test_the_data_stores_use_the_key_when_one_is_given_or_created(logical_id, path):
    value: Any = RESOURCES[logical_id]["Properties"]
    for step in path:
        value = value[step]
    condition, key, otherwise = value["Fn::If"]
    assert condition == "UseCmk"
    assert key == {"Fn::If": ["HasKmsKeyArn", {"Ref": "KmsKeyArn"}, {"Fn::GetAtt": ["DataKey", "Arn"]}]}
    assert otherwise == {"Ref": "AWS::NoValue"}


def test_every_log_group_is_encrypted_with_the_key_and_kept_for_the_retention():
    groups = template.resources_of_type("AWS::Logs::LogGroup")
    assert len(groups) == len(FUNCTIONS) + 2  # one per function, the API's access log and WAF's
    for props in (g["Properties"] for g in groups.values()):
        assert props["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert props["KmsKeyId"]["Fn::If"][0] == "UseCmk"


# --- WAF, S3 access logs, concurrency ---------------------------------------------------------------


def test_the_optional_web_acl_limits_each_address_and_runs_the_common_rules_on_the_stage():
    acl = RESOURCES["WebAcl"]
    assert acl["Condition"] == "HasWaf"
    rules = {rule["Name"]: rule for rule in acl["Properties"]["Rules"]}
    rate = rules["RateLimitPerClientAddress"]["Statement"]["RateBasedStatement"]
    assert rate == {"Limit": {"Ref": "WafRateLimit"}, "AggregateKeyType": "IP"}
    managed = rules["AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert managed == {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}
    logging = RESOURCES["WafLogging"]["Properties"]
    assert logging["LogDestinationConfigs"] == [{"Fn::GetAtt": ["WafLogGroup", "Arn"]}]
    assert {"QueryString": {}} in logging["RedactedFields"]
    assert {"SingleHeader": {"Name": "authorization"}} in logging["RedactedFields"]
    assert {"SingleHeader": {"Name": "cookie"}} in logging["RedactedFields"]
    association = RESOURCES["WebAclAssociation"]
    assert association["Condition"] == "HasWaf"
    assert "/restapis/${Api}/stages/${Api.Stage}" in association["Properties"]["ResourceArn"]["Fn::Sub"]


def test_the_attachments_bucket_logs_to_a_private_tls_only_bucket_only_s3_logging_writes():
    logging = RESOURCES["AttachmentsBucket"]["Properties"]["LoggingConfiguration"]
    assert logging["DestinationBucketName"] == {"Ref": "AccessLogsBucket"}
    bucket = RESOURCES["AccessLogsBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == {"Ref": "LogRetentionDays"}
    policy = RESOURCES["AccessLogsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    writer, tls = policy
    assert writer["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert writer["Action"] == "s3:PutObject"
    assert writer["Condition"]["ArnLike"]["aws:SourceArn"] == {"Fn::GetAtt": ["AttachmentsBucket", "Arn"]}
    assert tls["Effect"] == "Deny"
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_function_has_a_reserved_concurrency_parameter(function):
    reserved = RESOURCES[function]["Properties"]["ReservedConcurrentExecutions"]
    name = function.removesuffix("Function")
    assert reserved == {"Fn::If": [f"Reserve{name}", {"Ref": f"{name}Concurrency"}, {"Ref": "AWS::NoValue"}]}
    assert PARAMETERS[f"{name}Concurrency"]["Default"] >= 1


def test_the_reserved_defaults_leave_most_of_an_account_and_few_logins_at_once():
    defaults = {name: p["Default"] for name, p in PARAMETERS.items() if name.endswith("Concurrency")}
    assert sum(defaults.values()) <= 400  # of the usual 1,000: the account keeps the rest
    assert defaults["AuthConcurrency"] <= 20  # at most this many logins call the unified auth at once


def test_retention_is_a_parameter_in_years_given_to_every_function():
    assert PARAMETERS["RetentionYears"]["Type"] == "Number"
    assert template.global_environment()["RETENTION_YEARS"] == {"Ref": "RetentionYears"}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_function_alarms_on_errors_and_throttles(function):
    alarms = template.resources_of_type("AWS::CloudWatch::Alarm").values()
    watched = {
        (alarm["Properties"].get("MetricName"), json.dumps(alarm["Properties"].get("Dimensions"))) for alarm in alarms
    }
    dimensions = json.dumps([{"Name": "FunctionName", "Value": {"Ref": function}}])
    assert ("Errors", dimensions) in watched
    assert ("Throttles", dimensions) in watched


def test_the_publisher_may_only_tag_attachments_and_expire_attachment_items():
    granted = [s for s in statements("EventPublisherFunction") if not actions(s)[0].startswith("kms:")]
    every_action = {a for s in granted for a in actions(s)}
    assert "s3:DeleteObject" not in every_action  # the bucket's lifecycle deletes, not the function
    assert "dynamodb:DeleteItem" not in every_action
    (tagging,) = [s for s in granted if "s3:PutObjectTagging" in actions(s)]
    assert tagging["Resource"] == {"Fn::Sub": "${AttachmentsBucket.Arn}/confirmed/*"}
    # every table write is limited to named item kinds; attachment items only by UpdateItem
    for statement in (s for s in granted if any(a.startswith("dynamodb:") for a in actions(s))):
        leading = statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
        if "ATTACHMENT#*" in leading:
            assert actions(statement) == ["dynamodb:UpdateItem"]
            assert leading == ["ATTACHMENT#*"]


def test_no_function_shares_a_yaml_node_with_another():
    # SAM's transform edits each function's policies in place: a node shared through a YAML alias
    # (&x / *x) is rewritten for the first function and invalid for the next ("Policy at index N
    # is not valid"). Every function must carry its own copy.
    seen: dict[int, str] = {}

    def walk(node: Any, owner: str) -> None:
        if isinstance(node, dict | list):
            assert seen.setdefault(id(node), owner) == owner, f"{owner} shares a node with {seen[id(node)]}"
            for child in node.values() if isinstance(node, dict) else node:
                walk(child, owner)

    for function in FUNCTIONS:
        walk(RESOURCES[function]["Properties"], function)


def test_guardduty_scans_and_tags_every_upload_and_the_attachments_function_reads_the_tag():
    plan = RESOURCES["MalwareProtectionPlan"]
    assert plan["Condition"] == "ScanMalware"
    assert plan["Properties"]["ProtectedResource"]["S3Bucket"] == {
        "BucketName": {"Ref": "AttachmentsBucket"},
        "ObjectPrefixes": ["pending/"],
    }
    assert plan["Properties"]["Actions"] == {"Tagging": {"Status": "ENABLED"}}
    role = RESOURCES["MalwareProtectionRole"]["Properties"]
    trusted = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert trusted == {"Service": "malware-protection-plan.guardduty.amazonaws.com"}
    granted = {a for p in role["Policies"] for st in p["PolicyDocument"]["Statement"] for a in actions(st)}
    assert {"s3:GetObjectVersion", "s3:PutObjectVersionTagging", "s3:PutObjectTagging"} <= granted
    assert not {a for a in granted if "Delete" in a and a.startswith("s3:")}  # the scanner tags, never deletes
    # On by default; the functions know whether to wait for the tag
    assert PARAMETERS["MalwareScanning"]["Default"] == "true"
    env = template.global_environment()
    assert env["MALWARE_SCANNING"] == {"Fn::If": ["ScanMalware", "true", "false"]}
    reads = {a for st in statements("AttachmentsFunction") for a in actions(st)}
    assert {"s3:GetObjectVersionTagging", "s3:GetObjectVersion"} <= reads
