// Sweep files (format: sweep/sweep_config.h, configs/README.md), parsed
// with toml++ and checked key by key and value by value against this
// machine. A sweep runs overnight, unattended: a typo must fail in the first
// second, as "path:line: key: problem", not at point 40 of 300. The reading
// is shared with the event files (common/toml_reader.h); the parts of a
// file each have their reader: settings_reader, axis_readers,
// exclude_reader; the checks that need the points are in sweep_checks.
#include "sweep/sweep_config.h"

#include <fmt/format.h>

#include "common/errors.h"
#include "common/parse.h"
#include "common/toml_reader.h"
#include "sweep/axis_readers.h"
#include "sweep/exclude_reader.h"
#include "sweep/memory_axis.h"
#include "sweep/settings_reader.h"
#include "sweep/sweep_checks.h"

namespace zs {

namespace {

const std::vector<std::string> kTopKeys = {"settings", "axes", "exclude"};

}  // namespace

SweepConfig load_sweep_config(const std::string& path) {
  using namespace sweep_axes;
  SweepConfig cfg;
  cfg.path = path;
  cfg.text = read_input_file(path, "sweep file");
  TomlReader c(path);
  const toml::table t = c.parse(cfg.text);
  c.only_keys(t, kTopKeys, "");
  cfg.settings = read_settings(c, c.table(t, "settings"));
  const toml::table* axes = c.table(t, "axes");
  // An empty or truncated file would otherwise run the default one-point
  // sweep without a word. (After [settings], whose mistakes come first.)
  if (axes == nullptr || axes->empty())
    throw SetupError(fmt::format(
        "{}: names no axis; a sweep needs at least one [axes] entry, see configs/quick.toml",
        printable(path)));
  c.only_keys(*axes, kKeys, "axes.");

  read_axis(c, axes, kBacking, cfg.backing, read_backing);
  read_axis(c, axes, kFolio, cfg.folio_size, [](const ValueReader& r, const toml::node& n) {
    bool optional = false;
    return read_folio_size(r, n, &optional);
  });
  read_axis(c, axes, kStrategy, cfg.strategy, read_strategy);
  read_axis(c, axes, kPrimitive, cfg.primitive, read_primitive);
  read_axis(c, axes, kTarget, cfg.target, read_target);
  read_axis(c, axes, kAccess, cfg.access, read_access);
  read_axis(c, axes, kCache, cfg.cache, read_cache);
  read_axis(c, axes, kBatch, cfg.batch, read_batch);
  read_axis(c, axes, kWidth, cfg.width, read_width);
  cfg.memory.clear();
  read_axis(c, axes, kMemory, cfg.memory, [](const ValueReader& r, const toml::node& n) {
    bool optional = false;
    return read_memory(r, n, &optional);
  });

  cfg.exclude = read_excludes(c, t.get("exclude"));
  check_sweep(cfg);
  return cfg;
}

}  // namespace zs
