#pragma once
// The payload shape OpenPhone and Quo share: {id, type, createdAt, data: {object: {…}}}, and
// since Quo's 2026-03-30 generation {…, data: {resource: {…}, context: {…}}}.
#include <boost/json/object.hpp>

#include "../config.hpp"
#include "../event.hpp"

namespace frontdesk::normalize {

// Fills kind, type, ids, numbers, text, status from an OpenPhone-style event.
void fill_openphone_event(const boost::json::object& root, const Config& config, Event& event);

}  // namespace frontdesk::normalize
