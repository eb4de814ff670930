// referrals (collect/postgres/subsystems/referrals.cc) against an independent count; expiry is
// in postgres_archiving_test.cc.

#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collector_fixture.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::PostgresCollectorsTest;
namespace n = catalog::names;

TEST_F(PostgresCollectorsTest, ReferralsPerStatus) {
  CollectResult referrals = Collect("referrals");
  ASSERT_TRUE(referrals.success) << referrals.error;
  ExpectFamily(referrals, n::kReferralStatus, "status",
               ByLabel("SELECT status, count(*) FROM gold_referrals GROUP BY status"));
}

}  // namespace
}  // namespace cerniq
