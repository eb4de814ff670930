#pragma once
// text/template.HTMLEscapeString: `"` `'` `&` `<` `>` as &#34; &#39; &amp; &lt; &gt; and NUL as
// U+FFFD; every other byte is copied. Safe for element text and quoted attribute values. The
// template builtin `html` and the exporter's status page escape with it.
#include <string>
#include <string_view>

namespace cerniq::gocompat {

void AppendHtmlEscaped(std::string& out, std::string_view s);
std::string HtmlEscapeString(std::string_view s);

}  // namespace cerniq::gocompat
