//! iCalendar feeds: `calendar.ics`, `chapters/<chapter>/calendar.ics` and
//! one `event.ics` per event.

use crate::model::Site;
use crate::render::OutputPlan;

pub fn render_calendars(_site: &Site, _plan: &mut OutputPlan) {}
