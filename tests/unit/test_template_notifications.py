"""template.yaml's way from a case's change to a citizen: the bus rule, the queue and its dead-letter
queue, NotifyFunction's least privilege, the SMS settings off by default, the alarms."""

from __future__ import annotations

from typing import Any

from internship.notifications import CHANGES
from localrun import template
from tests.unit.test_template_security import actions, statements

RESOURCES: dict[str, Any] = template.load()["Resources"]
PARAMETERS: dict[str, Any] = template.load()["Parameters"]


def test_the_rule_sends_exactly_the_changes_the_consumer_tells_to_the_queue():
    rule = RESOURCES["NotificationRule"]["Properties"]
    assert rule["EventBusName"] == {"Ref": "EventBus"}
    assert rule["EventPattern"]["source"] == ["internship"]
    assert sorted(rule["EventPattern"]["detail-type"]) == sorted(CHANGES)
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["NotificationQueue", "Arn"]}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["NotificationDeadLetterQueue", "Arn"]}}


def test_a_failed_notification_is_retried_then_dead_lettered_and_alarmed():
    queue = RESOURCES["NotificationQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["NotificationDeadLetterQueue", "Arn"]}
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    function = RESOURCES["NotifyFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * function["Timeout"]  # AWS's advice for SQS event sources
    (source,) = function["Events"].values()
    assert source["Type"] == "SQS"
    assert source["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    alarm = RESOURCES["NotificationDeadLetterQueueAlarm"]["Properties"]
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["NotificationDeadLetterQueue", "QueueName"]}}
    ]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    overdue = RESOURCES["FollowUpsOverdueAlarm"]["Properties"]
    assert (overdue["Namespace"], overdue["MetricName"]) == ("Internship", "FollowUpsOverdue")
    # only the rule may send to the queues
    (allow, _) = RESOURCES["NotificationQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert allow["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["NotificationRule", "Arn"]}}}


def test_sms_are_off_unless_the_deployer_sets_the_platform():
    assert PARAMETERS["SmsEndpoint"]["Default"] == ""
    assert PARAMETERS["SmsCredentialSecretArn"]["Default"] == ""
    assert template.global_environment()["SMS_ENDPOINT"] == {"Ref": "SmsEndpoint"}


def test_the_consumer_writes_only_messages_counts_and_the_sms_limit_and_reads_only_cases():
    by_action: dict[str, list[str]] = {}
    for statement in statements("NotifyFunction"):
        for action in actions(statement):
            if action.startswith("dynamodb:"):
                leading = statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
                by_action.setdefault(action, []).extend(leading)
    assert by_action == {
        "dynamodb:GetItem": ["APPLICATION#*", "REGISTRATION#*", "FOLLOWUP#*"],
        "dynamodb:PutItem": ["MESSAGE#*"],
        "dynamodb:UpdateItem": ["PERSON#*", "SMSRATE#*"],
    }
    # and nothing that changes a case calls the SMS platform: its credential is the consumer's alone
    readers = {
        f for f, r in RESOURCES.items() if "SmsCredentialSecretArn" in str(r.get("Properties", {}).get("Policies", ""))
    }
    assert readers == {"NotifyFunction"}
