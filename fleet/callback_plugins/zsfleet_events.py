# Records, one JSON line per result, what happened to each host in the
# fleet playbook's "zs:" tasks (and any task's failure), so that fleet.py classifies the hosts from
# what ansible itself saw (unreachable, failed, the async job's rc) instead
# of parsing its console output. The file is named by $ZS_FLEET_EVENTS.
from __future__ import annotations

DOCUMENTATION = """
    name: zsfleet_events
    type: notification
    short_description: zeroscope fleet events for fleet.py
    description: one JSON line per result of a "zs:" task, into $ZS_FLEET_EVENTS
"""

import datetime
import json
import os

from ansible.plugins.callback import CallbackBase

# Result keys worth keeping: enough to name the cause, never whole outputs.
_KEEP = ("rc", "msg", "finished", "ansible_job_id", "dest", "changed")
_TAIL = 4000


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "zsfleet_events"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        path = os.environ.get("ZS_FLEET_EVENTS")
        self._out = open(path, "a", encoding="utf-8") if path else None

    def _record(self, result, status):
        if self._out is None:
            return
        task = result._task.get_name()
        # Every task's failure (a host can be lost anywhere), the zs: tasks' results.
        if not task.startswith("zs:") and status in ("ok", "skipped"):
            return
        r = result._result if isinstance(result._result, dict) else {}
        kept = {k: r[k] for k in _KEEP if k in r}
        for k in ("stdout", "stderr", "module_stderr", "module_stdout"):
            if isinstance(r.get(k), str) and r[k]:
                kept[k] = r[k][-_TAIL:]
        if isinstance(kept.get("msg"), str):
            kept["msg"] = kept["msg"][-_TAIL:]
        line = {"time": _now(), "host": result._host.get_name(), "task": task,
                "status": status, "result": kept}
        self._out.write(json.dumps(line, default=str) + "\n")
        self._out.flush()

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")
