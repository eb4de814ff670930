#pragma once
// The runbook's diagnosis reads (§3.1, §3.2), beside /api/admin/queues/etapa5:
//   GET /api/admin/workers/<queue>[?prefix=P]            {"workers":[CLIENT LIST entry...]}
//   GET /api/admin/queues/<queue>/failed[?limit=N&prefix=P]  [failed job...], newest first
// Only configured queues are served (404 with a JSON error otherwise); limit defaults to 20 and
// is capped at 100 (400 when it is not a positive integer); a failed read answers 503. Redis is
// read through RouteContext::admin_reader, so these stay pure functions of the request.
#include <optional>

#include "http/routes.h"

namespace cerniq::http {

// The admin diagnosis routes; nullopt when `request.path` is none of them.
std::optional<Response> HandleAdminRead(const Request& request, const RouteContext& context);

inline constexpr int kFailedJobsDefaultLimit = 20;
inline constexpr int kFailedJobsMaxLimit = 100;

}  // namespace cerniq::http
