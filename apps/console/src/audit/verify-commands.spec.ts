import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_FORMAT_DOC, STANDALONE_VERIFY_COMMANDS, VERIFY_FILES_COMMAND, VERIFY_SIGNATURE_COMMAND } from './verify-commands';

const doc = readFileSync(join(__dirname, '..', '..', '..', '..', AUDIT_FORMAT_DOC), 'utf8');

describe('the verification commands the audit page shows', () => {
  it.each([
    ['signature', VERIFY_SIGNATURE_COMMAND],
    ['files', VERIFY_FILES_COMMAND],
    ['standalone', STANDALONE_VERIFY_COMMANDS],
  ])('are the %s step of the tested recipe, word for word', (step, command) => {
    expect(doc).toContain(`<!-- recipe: ${step} -->\n\`\`\`sh\n${command}\n\`\`\``);
  });
});
