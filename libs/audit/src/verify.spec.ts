// The library's verifier against every tampering case (the suite in testing/verification-suite.ts,
// which the standalone verifier runs too).
import { describeExportVerification, memoryReader } from './testing';
import { verifyAuditExport } from './verify';

describeExportVerification('verifying an audit export', (files, options) => verifyAuditExport(memoryReader(files), options));
