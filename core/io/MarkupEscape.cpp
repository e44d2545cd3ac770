#include "io/MarkupEscape.hpp"

namespace imuwb::io {

std::string escapeMarkup(std::string_view text, Markup markup) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += markup == Markup::Html ? "&#39;" : "&apos;";
        break;
      default:
        if (markup == Markup::Xml && c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
        out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace imuwb::io
