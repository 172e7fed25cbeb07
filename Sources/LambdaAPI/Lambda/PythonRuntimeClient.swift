/// The Lambda Runtime API client Apiary runs python3 handlers with when `awslambdaric` is not installed: the
/// loop of AWS's Python runtime (GET `/next`, call the handler, POST `/response` or `/error`; import failures to
/// `/init/error`), with its error shapes and `[ERROR]` log lines. It exits when the daemon that started it dies.
enum PythonRuntimeClient {
    static let fileName = "apiary_lambda_runtime.py"

    static let source = #"""
"""Apiary's Lambda Runtime API client for python3 handlers (used when awslambdaric is not installed)."""
import importlib
import json
import os
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request

BASE = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]


def _watch_parent(parent):
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _call(method, path, body=None, headers=None):
    request = urllib.request.Request(BASE + path, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(request) as answer:
        return answer.headers, answer.read()


def _log_error(error):
    text = "[ERROR] %s: %s" % (error["errorType"], error["errorMessage"])
    if error.get("stackTrace"):
        text += "\nTraceback (most recent call last):\n" + "".join(error["stackTrace"])
    print(text.rstrip("\n").replace("\n", "\r"), flush=True)


def _post_error(path, error):
    _log_error(error)
    body = json.dumps(error).encode()
    _call("POST", path, body, {"Lambda-Runtime-Function-Error-Type": error["errorType"], "Content-Type": "application/json"})


def _init_failure(error_type, message):
    _post_error("/init/error", {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []})
    sys.exit(1)


def _load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_name, _, function_name = spec.rpartition(".")
    if not module_name or not function_name:
        _init_failure("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % spec)
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as error:
        _init_failure("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, error))
    except ImportError as error:
        _init_failure("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, error))
    except Exception as error:
        _init_failure("Runtime.ImportModuleError", "Unable to import module '%s': %s: %s" % (module_name, type(error).__name__, error))
    handler = getattr(module, function_name, None)
    if handler is None:
        _init_failure("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return handler


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        self.invoked_function_arn = headers["Lambda-Runtime-Invoked-Function-Arn"]
        self._deadline_ms = int(headers["Lambda-Runtime-Deadline-Ms"])
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        context = headers.get("Lambda-Runtime-Client-Context")
        self.client_context = json.loads(context) if context else None
        self.identity = None

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def main():
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    handler = _load_handler()
    while True:
        headers, body = _call("GET", "/invocation/next")
        request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("Lambda-Runtime-Trace-Id", "")
        try:
            result = handler(json.loads(body) if body else {}, LambdaContext(headers))
            answer = json.dumps(result).encode()
        except Exception as error:
            frames = traceback.format_list(traceback.extract_tb(error.__traceback__)[1:])
            _post_error("/invocation/%s/error" % request_id, {
                "errorMessage": str(error), "errorType": type(error).__name__,
                "requestId": request_id, "stackTrace": frames})
            continue
        sys.stdout.flush()
        try:
            _call("POST", "/invocation/%s/response" % request_id, answer, {"Content-Type": "application/json"})
        except urllib.error.HTTPError as error:
            print("[ERROR] the response was refused: %s" % error.read().decode(errors="replace"), flush=True)


if __name__ == "__main__":
    main()
"""#
}
