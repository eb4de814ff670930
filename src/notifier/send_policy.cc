#include "notifier/send_policy.h"

#include <algorithm>

#include "gocompat/query_escape.h"

namespace cerniq::notifier {

bool NeedsSending(const AlertTimes& t, int64_t eval_ms, int64_t resend_delay_ms) {
  if (t.pending) return false;
  if (t.resolved_at_ms && *t.resolved_at_ms > t.last_sent_at_ms) return true;
  // Go's zero LastSentAt is year 1: an alert never sent is always due, whatever the clock.
  if (t.last_sent_at_ms == 0) return true;
  return t.last_sent_at_ms + resend_delay_ms < eval_ms;
}

bool MarkSent(AlertTimes& t, int64_t eval_ms, int64_t resend_delay_ms, int64_t interval_ms) {
  if (!NeedsSending(t, eval_ms, resend_delay_ms)) return false;
  t.last_sent_at_ms = eval_ms;
  t.valid_until_ms = eval_ms + 4 * std::max(resend_delay_ms, interval_ms);
  return true;
}

Alert MakeAlert(LabelSet labels, LabelSet annotations, const AlertTimes& t,
                std::string generator_url) {
  Alert a;
  a.labels = std::move(labels);
  a.annotations = std::move(annotations);
  a.starts_at_ms = t.fired_at_ms.value_or(0);
  a.ends_at_ms = t.resolved_at_ms ? *t.resolved_at_ms : t.valid_until_ms;
  a.generator_url = std::move(generator_url);
  return a;
}

std::string GeneratorUrl(std::string_view external_url, std::string_view expr) {
  return std::string(external_url) + "/graph?g0.expr=" + gocompat::QueryEscape(expr) + "&g0.tab=1";
}

}  // namespace cerniq::notifier
