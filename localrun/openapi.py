"""One OpenAPI 3.1 document of the whole API, generated from the functions' resolvers.

Each API function of ``template.yaml`` builds its own part (``app.get_openapi_json_schema()``:
paths from the routes, schemas from the typed parameters and pydantic models, and what each route
declares: summary, one tag, a camelCase ``operation_id`` and its ``responses=`` from
``internship.apidoc.answers``). This module merges them, keeping only the operations the template
routes to that function, and adds what only the template knows: who may call an operation (session
cookie or bearer token, SigV4 for the back office, or nobody), the errors every operation of its
kind can answer (``internship.apidoc.common_errors``, in place of Powertools' own 422 body), the
tags' descriptions and the servers. It refuses to build a document a client generator would choke
on (an operation without a camelCase id or a known tag, a ``$ref`` without its schema).
``make openapi`` writes the result to ``docs/openapi.json``; a test fails when they drift.

    python -m localrun.openapi > docs/openapi.json
"""

from __future__ import annotations

import copy
import json
import re
import sys
from typing import Any

from localrun import template
from localrun.containers import ensure_import_paths

TITLE = "就业见习人员申请 API"
VERSION = "1.0.0"
DESCRIPTION = (
    "山西省人社公共服务平台个人网厅「就业见习人员申请」后端接口。\n\n"
    "- 见习人员（门户网站）：登录回调设置的会话 Cookie `session`；修改数据的请求需带允许的 `Origin` "
    "或 `X-Requested-With` 头（CSRF 防护）。\n"
    "- 移动应用：`Authorization: Bearer <token>`（登录回调以 `Accept: application/json` 调用时返回）。\n"
    "- 见习单位：统一认证的法人登录（`GET /auth/login?as=unit`）得到同样的会话，仅可使用 `/unit/*` 与 `/me`。\n"
    "- 经办/审核人员：`/review/*`、`/manage/*` 使用 AWS IAM（SigV4，服务名 `execute-api`）。\n\n"
    "错误统一为 `{code, message, errors, requestId}`，`message` 为可直接展示的中文。"
)
# Who each server is for (``x-internal``) and which environment it is, as the OWASP ruleset asks.
SERVERS = [
    {
        "url": "/",
        "description": "本站：local（make run 的本地运行），或部署后与门户同一域名的 production",
        "x-internal": False,
    },
    {
        "url": "https://{apiId}.execute-api.{region}.{domain}/{stage}",
        "description": "AWS 部署（sam deploy）：stage 为 dev、test（staging）或 prod（production）；"
        "中国区域的域名为 amazonaws.com.cn",
        "x-internal": False,
        "variables": {
            "apiId": {"default": "example", "description": "API Gateway REST API ID"},
            "region": {"default": "cn-north-1"},
            "domain": {"default": "amazonaws.com.cn", "enum": ["amazonaws.com.cn", "amazonaws.com"]},
            "stage": {"default": "prod", "enum": ["dev", "test", "prod"]},
        },
    },
]
SECURITY_SCHEMES: dict[str, Any] = {
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "门户网站的会话 Cookie（HttpOnly、Secure、SameSite=Lax），由登录回调设置。",
    },
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "移动应用使用登录回调（Accept: application/json）或 POST /auth/token 返回的 token。",
    },
    # Not an API key: the caller signs each request (AWS Signature Version 4, the Authorization
    # header's AWS4-HMAC-SHA256 scheme), e.g. with botocore, `curl --aws-sigv4` or aws-sigv4-fetch.
    "sigv4": {
        "type": "http",
        "scheme": "AWS4-HMAC-SHA256",
        "description": "AWS Signature Version 4：服务名 execute-api，以调用者的 IAM 凭证签名每个请求"
        "（需要 execute-api:Invoke 权限）。本地运行：区域 us-east-1，访问密钥 testing，私有密钥 testing。",
        "x-amazon-apigateway-authtype": "awsSigv4",
    },
}
SECURITY_BY_AUTH: dict[str, list[dict[str, list[str]]]] = {
    "NONE": [],
    "AWS_IAM": [{"sigv4": []}],
    "SESSION": [{"sessionCookie": []}, {"bearerAuth": []}],
}
# Every operation carries exactly one of these tags (ASCII, so generated packages and modules are
# ASCII too); Swagger UI groups by them and shows the Chinese description.
TAGS: dict[str, str] = {
    "auth": "登录与退出：统一认证登录、登录回调、移动应用换取令牌、退出登录",
    "me": "当前登录的见习人员",
    "positions": "见习岗位查询（无需登录）",
    "regions": "行政区划：省、市、区县的代码与名称（无需登录，可缓存）",
    "attachments": "附件：预签名 POST 直传 S3，再确认（绿条）",
    "applications": "就业见习人员申请：申报、我的办件、详情、撤回、重新申报",
    "registrations": "就业创业证线上申领：求职登记（离校2年内的毕业生）、失业登记（16-24周岁），户籍所在地审核后发证",
    "review": "审核（经办/审核人员，SigV4）",
    "manage": "见习岗位录入及维护（经办人员，SigV4）",
    "unit": "单位中心：见习单位经法人登录维护本单位的见习岗位（所在地人社部门审核后发布），查看申请人员",
}
OPERATION_ID = re.compile(r"^[a-z][a-zA-Z]{2,40}$")
_POWERTOOLS_SUCCESS = "Successful Response"  # Powertools' description of an undeclared success answer
_POWERTOOLS_VALIDATION = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _function_schema(function: template.Function) -> dict[str, Any] | None:
    app = getattr(function.load(), "app", None)
    if app is None or not hasattr(app, "get_openapi_json_schema"):
        return None
    schema: dict[str, Any] = json.loads(app.get_openapi_json_schema(title=TITLE, version=VERSION))
    return schema


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"].rsplit("/", 1)[-1]} if isinstance(value.get("$ref"), str) else set()
        for item in value.values():
            found |= _refs(item)
        return found
    if isinstance(value, list):
        return set().union(*(_refs(item) for item in value)) if value else set()
    return set()


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    """One response per status: the route's declared codes and the common ones together."""
    from internship import apidoc

    if extra["description"] != into["description"]:
        into["description"] = f"{into['description']}；{extra['description']}"
    examples = into.setdefault("content", {}).setdefault("application/json", {"schema": apidoc.ERROR_REF})
    # A code the route declares keeps its own example (its message), the common ones add the rest.
    known = examples.setdefault("examples", {})
    for code, example in extra["content"]["application/json"]["examples"].items():
        known.setdefault(code, example)


def _operation(operation: dict[str, Any], route: template.Route, where: str) -> dict[str, Any]:
    from internship import apidoc  # the shared package, importable once ensure_import_paths ran

    operation = copy.deepcopy(operation)
    if not OPERATION_ID.match(operation.get("operationId", "")):
        raise ValueError(f"{where}: give the route a short camelCase operation_id (e.g. submitApplication)")
    if len(operation.get("tags") or []) != 1 or operation["tags"][0] not in TAGS:
        raise ValueError(f"{where}: tag the route with one of {sorted(TAGS)}")
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for powertools_own in ("422", "default"):  # Powertools' 422 body is not ours; ours comes below
        responses.pop(powertools_own, None)
    parameters = operation.get("parameters") or []
    common = apidoc.error_responses(
        apidoc.common_errors(
            auth=route.auth,
            method=route.method,
            has_body="requestBody" in operation,
            has_parameters=bool(parameters),
            has_path_id=any(parameter["in"] == "path" for parameter in parameters),
        )
    )
    for status, response in common.items():
        if str(status) in responses:
            _merge(responses[str(status)], dict(response))
        else:
            responses[str(status)] = dict(response)
    for response in responses.values():
        if response.get("content") == {}:
            del response["content"]  # 204 and 302: no body
        if response.get("description") == _POWERTOOLS_SUCCESS:
            response["description"] = "成功"
    operation["responses"] = dict(sorted(responses.items()))
    operation["security"] = SECURITY_BY_AUTH[route.auth]
    if operation.pop(apidoc.OPTIONAL_SESSION, False):
        operation["security"] = [*SECURITY_BY_AUTH["SESSION"], {}]
    return operation


def build() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every API function in ``template.yaml``."""
    ensure_import_paths()
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for function in template.functions().values():
        if not function.routes:
            continue
        schema = _function_schema(function)
        if schema is None:
            continue
        routes = {(route.path, route.method.lower()): route for route in function.routes}
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                route = routes.get((path, method))
                if method not in _METHODS or route is None:
                    continue  # a route the template does not send to this function
                paths.setdefault(path, {})[method] = _operation(operation, route, f"{method.upper()} {path}")
        for name, definition in schema.get("components", {}).get("schemas", {}).items():
            if name in _POWERTOOLS_VALIDATION:
                continue
            if name in schemas and schemas[name] != definition:
                raise ValueError(
                    f"OpenAPI schema {name!r} differs between functions ({function.logical_id}); "
                    "give one of the models another name"
                )
            schemas[name] = definition
    from internship import apidoc

    schemas.update(apidoc.error_schemas())
    ordered_paths = {path: dict(sorted(paths[path].items())) for path in sorted(paths)}
    missing = _refs(ordered_paths) - set(schemas)
    if missing:
        raise ValueError(f"OpenAPI references without a schema: {sorted(missing)}")
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION, "description": DESCRIPTION},
        "servers": SERVERS,
        "tags": [{"name": name, "description": description} for name, description in TAGS.items()],
        "paths": ordered_paths,
        "components": {"schemas": dict(sorted(schemas.items())), "securitySchemes": SECURITY_SCHEMES},
    }


def render(document: dict[str, Any] | None = None) -> str:
    """The document as ``docs/openapi.json`` holds it (stable: the drift test compares text)."""
    return json.dumps(document if document is not None else build(), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
