#pragma once
// The OpenAPI 3.1 description of every documented route (src/server/openapi.json, built
// in). A test keeps it equal to the router's table.
namespace kompo::server {

const char* openapi_document();

}  // namespace kompo::server
