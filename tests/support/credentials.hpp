#pragma once
// The credentials of the `kompo serve` processes a test runs, by port. A test server is
// set up with an admin and its API token (ServerProcess), and every client call to that
// port sends the token, so tests of other things need not repeat it. A call that names a
// credential header itself (Authorization, Authy or Cookie, even empty to send none)
// sends only what it names: that is how the tests of authentication speak.
#include "support/http_client.hpp"

namespace kompo::test {

void register_port_credentials(int port, const HttpHeaders& credentials);
void forget_port_credentials(int port);
// `headers` plus the port's credentials, unless `headers` names a credential itself.
HttpHeaders with_credentials(int port, const HttpHeaders& headers);

}  // namespace kompo::test
