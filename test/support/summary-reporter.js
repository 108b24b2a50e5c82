/**
 * Ends every jest run with the plain line CI reads: "N passed, N failed, N skipped". A suite that fails to
 * load runs no test but is a failure all the same, so it counts as one.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
