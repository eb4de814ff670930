#include "http/x509_key_pair.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <memory>
#include <vector>

#include "gocompat/filepath.h"

namespace cerniq::http {
namespace {

struct PemBlock {
  std::string type;
  std::string der;
};

// encoding/pem.Decode applied until it finds no more blocks: "-----BEGIN T-----" at a line
// start, base64 body, "-----END T-----". A block whose body does not decode ends the scan, as
// it ends Go's (Decode returns nil for the rest).
std::vector<PemBlock> PemBlocks(const std::string& text) {
  std::vector<PemBlock> blocks;
  std::size_t at = 0;
  while ((at = text.find("-----BEGIN ", at)) != std::string::npos) {
    if (at != 0 && text[at - 1] != '\n') {
      at += 11;
      continue;
    }
    const auto type_end = text.find("-----", at + 11);
    const auto line_end = text.find('\n', at);
    if (type_end == std::string::npos || type_end > line_end) break;
    PemBlock block{text.substr(at + 11, type_end - at - 11), ""};
    const std::string end_marker = "-----END " + block.type + "-----";
    const auto end = text.find(end_marker, line_end);
    if (line_end == std::string::npos || end == std::string::npos) break;
    std::string body;
    for (std::size_t i = line_end + 1; i < end; ++i) {
      if (!std::isspace(static_cast<unsigned char>(text[i]))) body += text[i];
    }
    std::string der(body.size(), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                                  reinterpret_cast<const unsigned char*>(body.data()),
                                  static_cast<int>(body.size()));
    if (n < 0) break;
    const std::size_t pad =
        body.size() >= 2 ? (body.end()[-1] == '=') + (body.end()[-2] == '=') : 0;
    der.resize(static_cast<std::size_t>(n) - pad);
    block.der = std::move(der);
    blocks.push_back(std::move(block));
    at = end + end_marker.size();
  }
  return blocks;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// fmt's %v of a []string: "[A B]".
std::string GoList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + items[i];
  return out + "]";
}

std::optional<std::string> CertificateBlockError(const std::vector<PemBlock>& blocks,
                                                 std::string& first_der) {
  std::vector<std::string> skipped;
  for (const auto& b : blocks) {
    if (b.type != "CERTIFICATE") {
      skipped.push_back(b.type);
    } else if (first_der.empty()) {
      first_der = b.der;
    }
  }
  if (!first_der.empty()) return std::nullopt;
  if (skipped.empty()) return "tls: failed to find any PEM data in certificate input";
  if (skipped.size() == 1 && EndsWith(skipped[0], "PRIVATE KEY"))
    return "tls: failed to find certificate PEM data in certificate input, but did find a private "
           "key; PEM inputs may have been switched";
  return "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM "
         "blocks of the following types: " +
         GoList(skipped);
}

std::optional<std::string> KeyBlockError(const std::vector<PemBlock>& blocks, std::string& der) {
  std::vector<std::string> skipped;
  for (const auto& b : blocks) {
    if (b.type == "PRIVATE KEY" || EndsWith(b.type, " PRIVATE KEY")) {
      der = b.der;
      return std::nullopt;
    }
    skipped.push_back(b.type);
  }
  if (skipped.empty()) return "tls: failed to find any PEM data in key input";
  if (skipped.size() == 1 && skipped[0] == "CERTIFICATE")
    return "tls: found a certificate rather than a key in the PEM for the private key";
  return "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after "
         "skipping PEM blocks of the following types: " +
         GoList(skipped);
}

}  // namespace

std::optional<std::string> ReadFileError(const std::string& path, std::string* contents) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return gocompat::PathErrorText("open", path, errno);
  std::string text;
  char buffer[8192];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  const int read_errno = errno;
  ::close(fd);
  if (n < 0) return gocompat::PathErrorText("read", path, read_errno);
  if (contents) *contents = std::move(text);
  return std::nullopt;
}

std::optional<std::string> X509KeyPairError(const std::string& cert_file,
                                            const std::string& key_file) {
  std::string cert_pem, key_pem, cert_der, key_der;
  if (auto e = ReadFileError(cert_file, &cert_pem)) return e;
  if (auto e = ReadFileError(key_file, &key_pem)) return e;
  if (auto e = CertificateBlockError(PemBlocks(cert_pem), cert_der)) return e;
  if (auto e = KeyBlockError(PemBlocks(key_pem), key_der)) return e;

  const auto* p = reinterpret_cast<const unsigned char*>(cert_der.data());
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())), X509_free);
  if (!cert) return "x509: malformed certificate";
  p = reinterpret_cast<const unsigned char*>(key_der.data());
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(key_der.size())), EVP_PKEY_free);
  if (!key) return "tls: failed to parse private key";
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  if (!pub) return "tls: unknown public key algorithm";
  if (EVP_PKEY_get_base_id(pub) != EVP_PKEY_get_base_id(key.get()))
    return "tls: private key type does not match public key type";
  if (EVP_PKEY_eq(pub, key.get()) != 1) return "tls: private key does not match public key";
  return std::nullopt;
}

}  // namespace cerniq::http
