#pragma once
// encoding/json's string encoding as json.Marshal and json.Encoder write it by default (HTML
// escaping on): `"`, `\`, \n, \r, \t escaped; other control bytes and < > & as \u00XX; invalid
// UTF-8 as \ufffd; U+2028 and U+2029 escaped. The exporter's /api/v1 JSON, the Alertmanager
// payload and `cerniqtool query -o json` all print strings this way.
#include <string>
#include <string_view>

namespace cerniq::gocompat {

void AppendJsonString(std::string& out, std::string_view s);
std::string JsonString(std::string_view s);

}  // namespace cerniq::gocompat
