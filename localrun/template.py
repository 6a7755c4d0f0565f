"""Reads ``template.yaml`` so the local run and the tests build exactly what is deployed.

The tables, bucket, functions and API routes come from the template itself: there is no second
copy of the schema to drift. ``load`` writes out the ``Fn::ForEach`` loops (``AWS::LanguageExtensions``)
as CloudFormation does, so readers see every log group and alarm by its logical id. Only what the
local run needs is resolved (``!Ref`` to parameters and resources, ``!Join``, ``!Select``, ``!Sub`` of
known names); other intrinsics stay as they are.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns short-form intrinsics (``!Ref x``) into their long form."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    # CloudFormation's long forms: ``Ref`` and ``Condition`` (in a condition), ``Fn::<Name>`` for the rest.
    return {suffix if suffix in {"Ref", "Condition"} else f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@cache
def load(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template with its ``Fn::ForEach`` loops written out (nodes outside a loop kept as loaded)."""
    document: dict[str, Any] = expand(load_as_written(path))
    return document


def load_as_written(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as written: loops unexpanded, YAML aliases still shared nodes."""
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    return document


_FOR_EACH = "Fn::ForEach::"


def expand(node: Any) -> Any:
    """Write out every ``Fn::ForEach`` loop in ``node``, nested loops included, in place where possible.

    Written here (about 30 lines) because the two implementations at hand are not ours to call: the SAM
    CLI's lives in its own virtualenv, cfn-lint's is private. What CloudFormation documents is covered:
    a literal collection; ``${Id}`` and ``&{Id}`` in keys and strings; ``Ref`` to the identifier; and
    ``Ref`` of a ``Fn::Sub`` naming a resource, which becomes a plain ``Ref``.
    """
    if isinstance(node, list):
        node[:] = [expand(item) for item in node]
    elif isinstance(node, dict):
        if not any(isinstance(key, str) and key.startswith(_FOR_EACH) for key in node):
            for key, value in node.items():
                node[key] = expand(value)
            return node
        written: dict[str, Any] = {}
        for key, value in node.items():
            if not (isinstance(key, str) and key.startswith(_FOR_EACH)):
                written[key] = expand(value)
                continue
            identifier, collection, fragment = value
            if not isinstance(collection, list):
                raise ValueError(f"{key}: only a literal collection is supported here")
            for item in collection:
                for name, generated in expand(_substitute(fragment, identifier, str(item))).items():
                    if name in written or name in node:
                        raise ValueError(f"{key} writes {name} twice")
                    written[name] = generated
        return written
    return node


def _substitute(node: Any, identifier: str, value: str) -> Any:
    if isinstance(node, str):
        return node.replace(f"${{{identifier}}}", value).replace(f"&{{{identifier}}}", re.sub(r"\W|_", "", value))
    if isinstance(node, list):
        return [_substitute(item, identifier, value) for item in node]
    if not isinstance(node, dict):
        return node
    if node == {"Ref": identifier}:
        return value
    done = {_substitute(k, identifier, value): _substitute(v, identifier, value) for k, v in node.items()}
    name = done["Ref"].get("Fn::Sub") if len(done) == 1 and isinstance(done.get("Ref"), dict) else None
    if isinstance(name, str) and "${" not in name:
        return {"Ref": name}  # !Ref {Fn::Sub: "${Fn}Function"} once the identifier is filled in
    return done


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # API Gateway resource path, e.g. /applications/{applicationId}
    function: str  # logical id
    auth: str  # "SESSION" (the default authorizer), "NONE" or "AWS_IAM"

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")


@dataclass(frozen=True)
class Function:
    logical_id: str
    code_uri: Path
    handler: str
    routes: tuple[Route, ...] = field(default=())

    @property
    def source(self) -> Path:
        """The handler's module file, e.g. ``functions/me/app.py``."""
        return self.code_uri / f"{self.handler.rpartition('.')[0].replace('.', '/')}.py"

    def load(self, container: int = 1) -> ModuleType:
        """Import the handler's module, once per ``container`` (a separate import, like a Lambda container).

        Container 1 is ``functions.<dir>.app``, the name the tests, the local run, the OpenAPI build and
        the bench all share; others are ``functions.<dir>.app_container<N>``. ``FileNotFoundError`` when
        the function has no code yet.
        """
        if not self.source.is_file():
            raise FileNotFoundError(self.source)
        name = f"functions.{self.code_uri.name}.{self.handler.rpartition('.')[0]}"
        if container != 1:
            name += f"_container{container}"
        with _import_lock:
            module = sys.modules.get(name)
            if module is not None:
                return module
            spec = importlib.util.spec_from_file_location(name, self.source)
            if spec is None or spec.loader is None:
                raise FileNotFoundError(self.source)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[name]
                raise
            return module

    def handler_function(self, container: int = 1) -> Any:
        """The handler callable (``app.lambda_handler``)."""
        return getattr(self.load(container), self.handler.rpartition(".")[2])


_import_lock = threading.RLock()


def _resources(template: dict[str, Any]) -> dict[str, Any]:
    resources: dict[str, Any] = template["Resources"]
    return resources


def functions(template: dict[str, Any] | None = None) -> dict[str, Function]:
    template = template or load()
    default_handler = template.get("Globals", {}).get("Function", {}).get("Handler")
    found: dict[str, Function] = {}
    for logical_id, resource in _resources(template).items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        routes = []
        for event in (props.get("Events") or {}).values():
            if event["Type"] != "Api":
                continue
            ev = event["Properties"]
            auth = (ev.get("Auth") or {}).get("Authorizer", "SESSION")
            routes.append(Route(ev["Method"].upper(), ev["Path"], logical_id, auth))
        handler = props.get("Handler", default_handler)
        if not handler:
            raise ValueError(f"{logical_id} has no Handler, neither its own nor in Globals.Function")
        found[logical_id] = Function(logical_id, ROOT / props["CodeUri"], handler, tuple(routes))
    return found


def routes(template: dict[str, Any] | None = None) -> list[Route]:
    return [route for function in functions(template).values() for route in function.routes]


def authorizer_function(template: dict[str, Any] | None = None) -> str:
    """Logical id of the Lambda behind the API's default authorizer."""
    template = template or load()
    auth = _resources(template)["Api"]["Properties"]["Auth"]
    authorizer = auth["Authorizers"][auth["DefaultAuthorizer"]]
    arn = authorizer["FunctionArn"]
    return str(arn["Fn::GetAtt"][0])


def resources_of_type(type_name: str, template: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    template = template or load()
    return {k: v for k, v in _resources(template).items() if v["Type"] == type_name}


def create_table_requests(names: dict[str, str], template: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """``CreateTable`` arguments for every table, named by ``names[logical_id]``.

    Key schema, attributes, indexes, billing mode and streams are copied from the template;
    properties CreateTable does not take (TTL, PITR) are applied by ``table_settings``.
    """
    requests = []
    for logical_id, resource in resources_of_type("AWS::DynamoDB::Table", template).items():
        props = resource["Properties"]
        request: dict[str, Any] = {
            "TableName": names[logical_id],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            request["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        if props.get("StreamSpecification"):
            request["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        requests.append(request)
    return requests


def ttl_attributes(template: dict[str, Any] | None = None) -> dict[str, str]:
    """Logical id → TTL attribute name."""
    return {
        logical_id: resource["Properties"]["TimeToLiveSpecification"]["AttributeName"]
        for logical_id, resource in resources_of_type("AWS::DynamoDB::Table", template).items()
        if resource["Properties"].get("TimeToLiveSpecification", {}).get("Enabled")
    }


def bucket_cors(logical_id: str, origins: list[str], template: dict[str, Any] | None = None) -> dict[str, Any]:
    """The bucket's CORS rules in ``PutBucketCors`` form, with the origins filled in."""
    rules = resources_of_type("AWS::S3::Bucket", template)[logical_id]["Properties"]["CorsConfiguration"]["CorsRules"]
    return {
        "CORSRules": [
            {
                "AllowedOrigins": origins,
                "AllowedMethods": rule["AllowedMethods"],
                "AllowedHeaders": rule.get("AllowedHeaders", []),
                "MaxAgeSeconds": rule.get("MaxAge", 0),
            }
            for rule in rules
        ]
    }


def bucket_versioning(logical_id: str, template: dict[str, Any] | None = None) -> str | None:
    """The bucket's ``VersioningConfiguration.Status`` (``Enabled``) or ``None``."""
    properties = resources_of_type("AWS::S3::Bucket", template)[logical_id]["Properties"]
    status = (properties.get("VersioningConfiguration") or {}).get("Status")
    return str(status) if status else None


def global_environment(template: dict[str, Any] | None = None) -> dict[str, Any]:
    """``Globals.Function.Environment.Variables`` unresolved (values may be intrinsics)."""
    template = template or load()
    variables: dict[str, Any] = template["Globals"]["Function"]["Environment"]["Variables"]
    return variables


def parameter_defaults(template: dict[str, Any] | None = None) -> dict[str, Any]:
    """Each parameter's default as ``Ref`` gives it: a ``CommaDelimitedList`` is a list."""
    template = template or load()
    defaults: dict[str, Any] = {}
    for name, spec in template.get("Parameters", {}).items():
        value = spec.get("Default")
        if spec.get("Type") == "CommaDelimitedList" and isinstance(value, str):
            value = [item.strip() for item in value.split(",")]
        defaults[name] = value
    return defaults


def resolve(value: Any, refs: dict[str, Any]) -> Any:
    """Resolve the intrinsics the local run meets, given values for ``Ref`` names."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref":
            return refs[arg]
        if key == "Fn::Join":
            sep, items = arg
            return sep.join(str(resolve(item, refs)) for item in resolve(items, refs))
        if key == "Fn::Select":
            index, items = arg
            return resolve(items, refs)[int(index)]
        if key == "Fn::Sub" and isinstance(arg, str):
            return re.sub(r"\$\{([\w:.]+)\}", lambda m: str(refs[m.group(1)]), arg)
        if key == "Fn::If":
            name, if_true, if_false = arg
            return resolve(if_true if condition(name, refs) else if_false, refs)
    if isinstance(value, list):
        return [resolve(item, refs) for item in value]
    return value


def condition(name: str, refs: dict[str, Any], template: dict[str, Any] | None = None) -> bool:
    """Evaluate one of the template's ``Conditions`` with the given ``Ref`` values."""
    conditions: dict[str, Any] = (template or load()).get("Conditions", {})

    def evaluate(expression: Any) -> bool:
        ((key, arg),) = expression.items()
        if key == "Fn::Equals":
            return bool(resolve(arg[0], refs) == resolve(arg[1], refs))
        if key == "Fn::Not":
            return not evaluate(arg[0])
        if key == "Fn::And":
            return all(evaluate(item) for item in arg)
        if key == "Fn::Or":
            return any(evaluate(item) for item in arg)
        if key == "Condition":
            return evaluate(conditions[arg])
        raise ValueError(f"unsupported condition {key}")

    return evaluate(conditions[name])
