package io.rollcall.it;

import org.junit.jupiter.api.Test;

/**
 * What every way to PostgreSQL must deliver, whatever the encoding on the topics: the checks a
 * sink test class inherits, run against the {@link ConnectPipeline} it set up.
 */
interface PostgresSinkChecks {

    ConnectPipeline pipeline();

    @Test
    default void everySeriesGetsOneRowEqualToWhatTheHttpApiServes() throws Exception {
        pipeline().assertEveryAggregateRowEqualsTheApi();
    }

    @Test
    default void idsAtOrAbove2To63AreExactUnsignedNumbersInTheDatabase() throws Exception {
        pipeline().assertTheLargestIdIsExact();
    }

    @Test
    default void theVerdictHistoryTableHoldsTheDecisionsTheApiListsInOrder() throws Exception {
        pipeline().assertTheVerdictTableEqualsTheApi();
    }

    @Test
    default void theRollbackRowHoldsItsSloResultsAsJson() throws Exception {
        pipeline().assertTheRollbackRowHoldsItsSloResultsAsJson();
    }
}
