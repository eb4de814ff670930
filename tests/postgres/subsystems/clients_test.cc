// clients (collect/postgres/subsystems/clients.cc) against an independent count.

#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collector_fixture.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::PostgresCollectorsTest;
namespace n = catalog::names;

TEST_F(PostgresCollectorsTest, ClientsPerState) {
  CollectResult r = Collect("clients");
  ASSERT_TRUE(r.success) << r.error;
  ExpectFamily(r, n::kClients, "state",
               ByLabel("SELECT DISTINCT state, (SELECT count(*) FROM gold_nurturing_state s2 "
                       "WHERE s2.state = s1.state) FROM gold_nurturing_state s1"));
}

}  // namespace
}  // namespace cerniq
