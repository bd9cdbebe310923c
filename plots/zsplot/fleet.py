"""A fleet directory, results/fleet-<yyyymmdd-hhmmss>/, as `./run.sh fleet`
writes it: fleet.json (schema "zeroscope-fleet/1") and one results directory
per host that completed. The twin of harness/results/fleet_dir.h and
report/fleet_hosts.h: the same checks, the same one-line refusals (NoData,
exit 2), unknown keys ignored, a host's results used only when its status
is "completed", its vendor read from its own capability record (never the
inventory groups), and the hosts ordered by vendor: vendors in the order
their first host appears in fleet.json, hosts of one vendor in that order.
"""
import json
import os

from zsplot.results import NoData, Results

SCHEMA = "zeroscope-fleet/1"
MAX_BYTES = 16 << 20
REDO = "restore it from a copy, or run the fleet again with ./run.sh fleet INVENTORY CONFIG"


class FleetHost:
    def __init__(self, fleet_path, name, entry):
        self.name = name  # control characters escaped: it is shown in titles and tables
        self.status = entry.get("status")
        self.reason = entry.get("reason") if isinstance(entry.get("reason"), str) else ""
        self.groups = [g for g in entry.get("groups") or [] if isinstance(g, str)]
        self.results = None       # absolute path, completed hosts only
        self.results_path = None  # FLEETDIR/<results> as given

    @property
    def completed(self):
        return self.status == "completed"


class Fleet:
    def __init__(self, path, record, hosts):
        self.path = path
        self.record = record
        self.name = record.get("name") if isinstance(record.get("name"), str) else os.path.basename(
            os.path.abspath(path))
        self.hosts = hosts

    def completed(self):
        return [h for h in self.hosts if h.completed]

    def not_completed(self):
        return [h for h in self.hosts if not h.completed]


def is_fleet_dir(path):
    return os.path.isdir(path) and os.path.exists(os.path.join(path, "fleet.json"))


def _printable(s):
    return "".join(c if c.isprintable() else "\\x%02x" % ord(c) for c in s)


def read_fleet(path):
    """fleet.json read and checked; NoData with the harness's line when it cannot be used."""
    f = os.path.join(path, "fleet.json")
    if not os.path.exists(f):
        raise NoData("%s: missing; not a fleet directory (./run.sh fleet INVENTORY CONFIG makes one; a results "
                     "directory is reported without --by host), or one that lost its record: %s" % (f, REDO))
    if not os.path.isfile(f) or os.path.getsize(f) > MAX_BYTES:
        raise NoData("%s: not a regular file of at most 16 MiB; %s" % (f, REDO))
    with open(f, "rb") as fh:
        text = fh.read().decode("utf-8", "replace")
    try:
        record = json.loads(text)
    except ValueError as e:
        pos, line = getattr(e, "pos", 0), getattr(e, "lineno", 1)
        # A string is unterminated only at the end of the text (a line end inside one is another error).
        early = pos >= len(text.rstrip()) or str(getattr(e, "msg", "")).startswith("Unterminated string")
        why = "the JSON ends early (the file was cut short)" if early else "not valid JSON"
        raise NoData("%s:%d: %s; %s" % (f, line, why, REDO))
    if not isinstance(record, dict):
        raise NoData("%s: not a fleet record (a JSON object expected); %s" % (f, REDO))
    schema = record.get("schema") if isinstance(record.get("schema"), str) else ""
    if not schema:
        raise NoData("%s: no schema (%s expected); %s" % (f, SCHEMA, REDO))
    if schema != SCHEMA:
        raise NoData("%s: schema '%s' is not %s; read it with the zeroscope that wrote it" % (
            f, _printable(schema), SCHEMA))
    entries = record.get("hosts")
    if not isinstance(entries, dict) or not entries:
        raise NoData("%s: no hosts (an object of hosts expected); %s" % (f, REDO))
    hosts = []
    for name, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("status"), str) or not entry["status"]:
            raise NoData("%s: host '%s' has no status; %s" % (f, _printable(name), REDO))
        h = FleetHost(path, _printable(name), entry)
        if h.completed:
            rel = entry.get("results")
            if not isinstance(rel, str) or not rel:
                raise NoData("%s: host '%s' is completed but names no results directory; %s" % (
                    f, _printable(name), REDO))
            if os.path.isabs(rel) or ".." in rel.split("/"):
                raise NoData("%s: host '%s': results '%s' is not a directory inside the fleet directory; %s" % (
                    f, _printable(name), _printable(rel), REDO))
            h.results_path = os.path.normpath(os.path.join(path, rel))
            h.results = os.path.abspath(h.results_path)
            if not os.path.isdir(h.results):
                raise NoData("%s: missing, though %s says host '%s' completed; restore the directory from the "
                             "host (its zeroscope_dir/results/%s), or leave the host out of the report by removing "
                             "its entry" % (os.path.join(path, rel), f, _printable(name), rel))
        hosts.append(h)
    return Fleet(path, record, hosts)


def vendor_of(meta):
    """'Intel', 'AMD', 'Hygon', 'ARM (arm64)', ...: the CPU vendor of the capability record."""
    cpu = ((meta.get("capability") or {}).get("cpu")) or {}
    vendor = cpu.get("vendor") if isinstance(cpu.get("vendor"), str) else ""
    if not vendor:
        return "unknown vendor"
    if cpu.get("arch") == "arm64":
        return "%s (arm64)" % vendor
    return {"GenuineIntel": "Intel", "AuthenticAMD": "AMD", "HygonGenuine": "Hygon"}.get(vendor, vendor)


def fleet_results(path, where=None, lenient=False):
    """(Fleet, [Results of each completed host, ordered by vendor]); each Results
    carries .fleet_host (the inventory name), .vendor and .groups."""
    fleet = read_fleet(path)
    loaded = []
    for h in fleet.completed():
        res = Results(h.results_path, where, lenient)
        res.fleet_host, res.vendor, res.groups = h.name, vendor_of(res.meta), h.groups
        loaded.append(res)
    if not loaded:
        raise NoData("%s/fleet.json: no host completed (%s); nothing to report: complete the fleet with "
                     "./run.sh fleet --resume %s INVENTORY" % (
                         path, ", ".join("%s: %s" % (h.name, h.status) for h in fleet.hosts), path))
    vendors = []
    for r in loaded:
        if r.vendor not in vendors:
            vendors.append(r.vendor)
    loaded.sort(key=lambda r: vendors.index(r.vendor))  # stable: fleet.json's order within a vendor
    return fleet, loaded
