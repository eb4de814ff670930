#include "tool/kingpin.h"

#include <sys/stat.h>

namespace cerniq::tool {

int UsageError(std::ostream& err, const std::string& program, const std::string& message) {
  err << program << ": error: " << message << ", try --help\n";
  return 1;
}

bool CheckExistingFiles(const std::vector<std::string>& files, std::ostream& err,
                        const std::string& program) {
  for (const auto& f : files) {
    struct stat st {};
    if (stat(f.c_str(), &st) != 0) {
      UsageError(err, program, "path '" + f + "' does not exist");
      return false;
    }
    if (S_ISDIR(st.st_mode)) {
      UsageError(err, program, "'" + f + "' is a directory");
      return false;
    }
  }
  return true;
}

namespace {

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags, const std::string& name,
                         char short_name) {
  for (const auto& f : flags) {
    if ((!name.empty() && f.name == name) || (short_name && f.short_name == short_name)) return &f;
  }
  return nullptr;
}

}  // namespace

std::optional<ParsedCommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                                  const std::vector<FlagSpec>& flags,
                                                  const std::vector<ArgSpec>& positional,
                                                  std::ostream& err, const std::string& program) {
  ParsedCommandLine parsed;
  std::size_t next_arg = 0;
  bool flags_done = false;
  auto fail = [&](const std::string& message) {
    UsageError(err, program, message);
    return std::nullopt;
  };
  auto set_flag = [&](const FlagSpec& f, const std::string& value) -> bool {
    if (f.check) {
      if (auto e = f.check(value)) return UsageError(err, program, *e), false;
    }
    auto& values = parsed.flags[f.name];
    if (!f.repeatable) values.clear();
    values.push_back(value);
    return true;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!flags_done && a == "--") {
      flags_done = true;
    } else if (!flags_done && a.rfind("--", 0) == 0) {
      const auto eq = a.find('=');
      const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (name == "help") {
        parsed.help = true;
        continue;
      }
      const FlagSpec* f = FindFlag(flags, name, 0);
      if (!f) return fail("unknown long flag '--" + name + "'");
      std::string value;
      if (eq != std::string::npos) {
        value = a.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return fail("expected argument for flag '--" + name + "'");
      }
      if (!set_flag(*f, value)) return std::nullopt;
    } else if (!flags_done && a.size() > 1 && a[0] == '-') {
      if (a[1] == 'h') {
        parsed.help = true;
        continue;
      }
      const FlagSpec* f = FindFlag(flags, "", a[1]);
      if (!f) return fail("unknown short flag '" + a.substr(0, 2) + "'");
      std::string value;
      if (a.size() > 2) {
        value = a.substr(2);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return fail("expected argument for flag '-" + std::string(1, a[1]) + "'");
      }
      if (!set_flag(*f, value)) return std::nullopt;
    } else {
      if (next_arg >= positional.size()) return fail("unexpected " + a);
      const ArgSpec& spec = positional[next_arg];
      if (!spec.repeatable) ++next_arg;
      if (spec.check) {
        if (auto e = spec.check(a)) return fail(*e);
      }
      parsed.args[spec.name] = a;
      parsed.arg_lists[spec.name].push_back(a);
    }
  }
  if (parsed.help) return parsed;
  for (const auto& f : flags) {
    if (f.required && !parsed.flags.count(f.name)) {
      return fail("required flag --" + f.name + " not provided");
    }
  }
  for (const auto& p : positional) {
    if (p.required && !parsed.args.count(p.name)) {
      return fail("required argument '" + p.name + "' not provided");
    }
  }
  return parsed;
}

}  // namespace cerniq::tool
