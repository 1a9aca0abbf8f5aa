// Calls the fake with the official Node.js SDK, as a user's service would.
// Usage: node client.js '{"endpoint": "127.0.0.1:PORT", "secretId": "...", "secretKey": "...",
//   "calls": [["DescribeInstances", {}], ...], "reqMethod": "POST", "reqTimeout": 10}'
// Prints one JSON array: {"response": ...} or {"code", "message", "name", "type", "httpCode",
// "requestId"} per call.
"use strict";
const tencentcloud = require("tencentcloud-sdk-nodejs-ckafka");

async function main() {
  const config = JSON.parse(process.argv[2]);
  const client = new tencentcloud.ckafka.v20190819.Client({
    credential: { secretId: config.secretId, secretKey: config.secretKey },
    region: "ap-guangzhou",
    profile: {
      signMethod: config.signMethod || "TC3-HMAC-SHA256",
      httpProfile: {
        endpoint: config.endpoint,
        protocol: "http://",
        reqMethod: config.reqMethod || "POST",
        reqTimeout: config.reqTimeout || 10,
      },
    },
  });
  const outcomes = [];
  for (const [action, params] of config.calls) {
    try {
      outcomes.push({ response: await client[action](params) });
    } catch (error) {
      // What a user's catch block can read: the SDK's error, or the HTTP library's own.
      outcomes.push({
        code: error.code || "",
        message: error.message,
        name: error.constructor ? error.constructor.name : "",
        type: error.type || "",
        httpCode: error.httpCode || 0,
        requestId: error.requestId || "",
      });
    }
  }
  process.stdout.write(JSON.stringify(outcomes));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
