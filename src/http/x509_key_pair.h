#pragma once
// The checks Go's tls.LoadX509KeyPair makes on a certificate and key file, with its error texts
// (exporter-toolkit's web.Validate, so `cerniqtool check web-config`, prints them): the files
// read, PEM blocks of the right types found, the first certificate and the key parsed, and the
// key matching the certificate. Parsing is OpenSSL's; the wording is Go 1.19's.
#include <optional>
#include <string>

namespace cerniq::http {

// nullopt when the pair loads; otherwise Go's error, e.g. "open x.pem: no such file or
// directory", "tls: failed to find any PEM data in key input",
// "tls: private key does not match public key".
std::optional<std::string> X509KeyPairError(const std::string& cert_file,
                                            const std::string& key_file);

// os.ReadFile's error for a file ("open F: permission denied", "read F: is a directory").
std::optional<std::string> ReadFileError(const std::string& path, std::string* contents = nullptr);

}  // namespace cerniq::http
