#pragma once
// What route handlers reach: the platform's services and the server's shared parts.
// Handlers are thin: they parse, call a service, and shape the answer.
#include <string>

#include "auth/accounts.hpp"
#include "auth/rate_limiter.hpp"
#include "platform/analysis_runs.hpp"
#include "platform/config.hpp"
#include "platform/platform.hpp"
#include "platform/quotas.hpp"
#include "platform/render_status_cache.hpp"
#include "server/log.hpp"

namespace kompo::server {

class Connections;
class EventHub;
class Metrics;

struct ServiceContext {
    platform::Platform& platform;
    const platform::Config& config;
    Log& log;
    EventHub& events;
    Metrics& metrics;
    Connections& connections;
    auth::Accounts& accounts;
    platform::Quotas& quotas;
    auth::RateLimiter& logins;                     // login attempts per client address
    platform::AnalysisRuns& analyses;              // media analyses being made, new uploads queued
    platform::RenderStatusCache& render_statuses;  // GET /api/v1/renders/{id}, per last event
};

}  // namespace kompo::server
