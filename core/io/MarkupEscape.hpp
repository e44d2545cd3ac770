#pragma once
// One escaper for the HTML and JUnit XML reports: the same five special characters, with the two
// differences each format needs spelled out in Markup.
#include <string>
#include <string_view>

namespace imuwb::io {

enum class Markup {
  Html,  // ' becomes &#39; (HTML 4 has no &apos;); every other byte is kept
  Xml,   // ' becomes &apos;; C0 control bytes other than tab, LF, CR are dropped (XML 1.0 forbids)
};

// Escapes & < > " ' for use in element text and quoted attribute values.
std::string escapeMarkup(std::string_view text, Markup markup);

}  // namespace imuwb::io
