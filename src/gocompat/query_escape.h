#pragma once
// net/url.QueryEscape: letters, digits and `-_.~` are kept, a space becomes `+`, every other
// byte is %XX (upper-case hex). The template builtin `urlquery`, the template functions
// `graphLink` and `tableLink`, alerts' generatorURL, the exporter's /graph redirect and the
// Prometheus API client's form bodies all escape with it.
#include <string>
#include <string_view>

namespace cerniq::gocompat {

std::string QueryEscape(std::string_view s);

}  // namespace cerniq::gocompat
