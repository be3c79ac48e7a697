#pragma once
// The payload shape OpenPhone and Quo share: {id, type, createdAt, data: {object: {…}}}.
#include <boost/json/object.hpp>

#include "../config.hpp"
#include "../event.hpp"

namespace frontdesk::normalize {

// Fills kind, type, ids, numbers, text from an OpenPhone-style event object. Calls carry
// participants[] and no from/to: the participant that is one of our numbers is our side.
void fill_openphone_event(const boost::json::object& root, const Config& config, Event& event);

}  // namespace frontdesk::normalize
