// Adds each Jest run's counts to the file named by RAMPART_TEST_TALLY (one JSON line per run),
// with the Node.js version it ran on, so .ci/run can print one total across all the Nx tasks.
// Does nothing when the variable is unset.
const { appendFileSync } = require('node:fs');

module.exports = class TallyReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.RAMPART_TEST_TALLY;
    if (!file) return;
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTodoTests: todo } = results;
    appendFileSync(file, `${JSON.stringify({ passed, failed, skipped: skipped + todo, node: process.version })}\n`);
  }
};
