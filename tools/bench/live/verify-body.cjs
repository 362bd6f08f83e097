// autocannon's verifyBody for the live benchmark's HTTP load, loaded by path in its worker thread:
// a response counts only when it carries a page of tenants and no GraphQL errors (those come with HTTP 200).
module.exports = (body) => typeof body === 'string' && body.startsWith('{"data":{"tenants":{"edges":[{') && !body.includes('"errors"');
