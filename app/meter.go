package app

import (
	"fmt"
	"time"
)

// spentKey is the preference that keeps what a day cost, so that "today"
// survives a restart.
func spentKey(day time.Time) string { return "credits_spent_" + day.Format("2006-01-02") }

// addSpend counts a request the hosted service took (Fyne's goroutine).
func (s *Studio) addSpend(credits float64) {
	s.frame.spentSession += credits
	p := s.desk.app.Preferences()
	key := spentKey(time.Now())
	p.SetFloat(key, p.Float(key)+credits)
	s.refreshMeter()
}

// spentToday is what today's accepted requests cost.
func (s *Studio) spentToday() float64 { return s.desk.app.Preferences().Float(spentKey(time.Now())) }

// refreshMeter says where jobs go and, on the cloud, what they cost.
func (s *Studio) refreshMeter() {
	if s.frame.meter == nil {
		return
	}
	if !s.settings.Cloud() {
		s.frame.meter.SetText("Local engine · free")
		return
	}
	s.frame.meter.SetText(fmt.Sprintf("Cloud · %.2f credits today · %.2f this session", s.spentToday(), s.frame.spentSession))
}

// saveFailed tells the designer that the job list could not be written
// (at most once a minute): jobs added now might not survive a crash.
func (s *Studio) saveFailed(err error) {
	s.setStatus("The job list could not be saved to disk. Free some disk space; jobs are not sent until it can be saved.")
	if time.Since(s.frame.lastSaveAlarm) < time.Minute {
		return
	}
	s.frame.lastSaveAlarm = time.Now()
	s.cfg.Logger.Error("queue save", "error", err)
	s.showInfo("The job list could not be saved",
		"The app could not write its job list to disk, so new jobs are not sent until it can "+
			"(none is charged twice). Free some disk space or check the app's folder, then retry.")
}
