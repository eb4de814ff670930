#pragma once
// A throw-away PKI for TLS tests, made with the `openssl` command in a temporary directory: a CA,
// a server certificate for localhost and 127.0.0.1, an expired one, a client certificate, and
// an unrelated CA (for "wrong CA" cases). Removed on destruction.

#include <string>

namespace cerniq::testing {

class TestPki {
 public:
  TestPki();
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  bool ok() const { return ok_; }  // false when openssl is missing or failed
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  // Files: ca.crt, server.crt/.key, expired.crt (same key), client.crt/.key, other-ca.crt.
  std::string ca() const { return Path("ca.crt"); }
  std::string other_ca() const { return Path("other-ca.crt"); }

 private:
  std::string dir_;
  bool ok_ = false;
};

}  // namespace cerniq::testing
