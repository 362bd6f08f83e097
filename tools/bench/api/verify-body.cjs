// autocannon's verifyBody for the API benchmark, loaded by path in its worker thread: a response
// counts only when it carries data and no GraphQL errors (those come with HTTP 200). That the data
// is the full answer was checked once before the load, against the bare server's.
module.exports = (body) => typeof body === 'string' && body.startsWith('{"data":{"') && !body.includes('"errors"');
