#include "support/test_pki.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace cerniq::testing {
namespace {

const char kNewKey[] = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ";

// Signs <name>.key (which must exist) with ca.key; `days` may be negative (an expired one).
std::string Sign(const std::string& name, const std::string& cn, const std::string& ext, int days) {
  return "openssl req -new -key " + name + ".key -subj /CN=" + cn + " -out " + name +
         ".csr && printf '" + ext + "\\n' > " + name + ".ext && openssl x509 -req -in " + name +
         ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -days " + std::to_string(days) +
         " -extfile " + name + ".ext -out " + name + ".crt";
}

std::string SelfSignedCa(const std::string& name, const std::string& cn) {
  return std::string(kNewKey) + name + ".key && openssl req -x509 -new -key " + name +
         ".key -days 2 -subj /CN=" + cn + " -out " + name + ".crt";
}

}  // namespace

TestPki::TestPki() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cerniq-pki-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return;
  dir_ = pattern;
  const std::string server_ext = "subjectAltName=DNS:localhost,IP:127.0.0.1";
  std::string cmd =
      "cd " + dir_ + " && (" + SelfSignedCa("ca", "cerniq-test-ca") + " && " +
      SelfSignedCa("other-ca", "other-ca") + " && " + kNewKey + "server.key && " +
      Sign("server", "localhost", server_ext, 2) + " && cp server.key expired.key && " +
      Sign("expired", "localhost", server_ext, -1) + " && " + kNewKey + "client.key && " +
      Sign("client", "cerniq-exporter", "extendedKeyUsage=clientAuth", 2) + ") >/dev/null 2>&1";
  ok_ = std::system(cmd.c_str()) == 0;
}

TestPki::~TestPki() {
  if (dir_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace cerniq::testing
