#pragma once
// How a text recording is written: which delimiter separates fields (comma, semicolon, tab or
// runs of whitespace), whether numbers use a decimal comma, and which lines are comments.
// Detected from the header and the first data line, so the rest of the file streams through.
#include <string>
#include <string_view>
#include <vector>

namespace imuwb::csv {

struct Dialect {
  char delimiter = ',';       // ',' ';' '\t', or ' ' for runs of spaces and tabs
  bool decimalComma = false;  // "9,81" is 9.81 (only with a delimiter other than ',')
};

// A line starting (after blanks) with '#', '%' or "//": a comment, or a commented header.
bool isCommentLine(std::string_view line);
// The comment's text without its marker and surrounding blanks.
std::string_view commentBody(std::string_view line);
// The line without a leading UTF-8 byte-order mark.
std::string_view withoutBom(std::string_view line);

// Picks the delimiter that splits header and first data line into the same number (> 1) of
// fields, preferring tab, semicolon, comma, then whitespace; without a data line, the most
// frequent delimiter in the header. A semicolon or tab file whose data fields look like "9,81"
// uses a decimal comma.
Dialect detectDialect(std::string_view header, std::string_view firstData);

// Splits line into trimmed fields (views into line).
void splitFields(std::string_view line, const Dialect& dialect,
                 std::vector<std::string_view>& fields);

// Parses a number as csv::parseNumber does, reading a decimal comma when the dialect has one.
bool parseDialectNumber(std::string_view text, const Dialect& dialect, double& value);

// "comma", "semicolon, decimal comma", "tab", "whitespace": for the import report.
std::string describeDialect(const Dialect& dialect);

}  // namespace imuwb::csv
