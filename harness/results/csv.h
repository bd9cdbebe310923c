// RFC 4180 CSV, the format of every results file: a cell holding a comma,
// a double quote or a line break is quoted, its quotes doubled. Records end
// in "\n" (a "\r\n" is read too). A last record without its line end is a
// torn write (a crash mid-append), reported as such, never half-read.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zs::csv {

// One cell as written: quoted only when it has to be.
std::string quote(std::string_view cell);
// One record, cells joined by commas, with its "\n".
std::string record(std::span<const std::string> cells);

struct Record {
  std::vector<std::string> cells;
  int line = 0;            // line of the record's start, from 1
  bool malformed = false;  // a quote that does not follow the rules
};
struct Parsed {
  std::vector<Record> records;  // complete records only
  bool torn = false;            // the text ended inside a record
  int torn_line = 0;            // where that record started
  // A quote that does not follow the rules ("ab"c, "abc"x): where, or 0.
  int malformed_line = 0;
};
Parsed parse(std::string_view text);

}  // namespace zs::csv
