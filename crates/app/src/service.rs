//! Commands and queries.

use crate::error::{AppError, AppResult};
use crate::ports::{Changed, Clock, EventSink, Notifier};
use crate::settings::{IdentityStatus, RoleChange, Settings};
use crate::views::{
    ApprovalItem, BulkFailure, BulkOutcome, CallbackItem, ClockView, ComplaintBrief, ComplaintView,
    CustomerComplaint, DashboardLine, DashboardView, DecidedItem, IntakeLookup, IntakeQuery,
    LinkedComplaint, ReminderItem, SavedView, TeamView,
};
use crate::watcher::WatchState;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use redress_domain::ErrorCode;
use redress_domain::Rules;
use redress_domain::catalog::Catalogs;
use redress_domain::complaint::{
    Approval, ApprovalState, Command, Complaint, ComplaintDraft, NewComplaint,
};
use redress_domain::ids::{ComplaintId, DeptId, UserId};
use redress_domain::model::{CallbackScale, Customer, PauseReason};
use redress_domain::phone::{check_phone, display_phone};
use redress_domain::planner::ReminderKey;
use redress_domain::repeat::RepeatProbe;
use redress_domain::sla::ClockKind;
use redress_domain::text;
use redress_local::keys;
use redress_local::{
    DashboardQuery, DashboardRow, HeaderCounts, LocalStore, OutboxEntry, StoredComplaint,
};
use redress_protocol::Mutation;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use uuid::Uuid;

/// The application: one per console window.
pub struct App {
    pub(crate) store: LocalStore,
    /// The rules every decision uses; shared with the sync engine (see
    /// [`App::rules_handle`]), replaced by [`App::set_rules`].
    pub(crate) rules: Arc<RwLock<Arc<Rules>>>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) events: Arc<dyn EventSink>,
    pub(crate) tz: TimeZone,
    pub(crate) watch: Mutex<WatchState>,
    pub(crate) wake: tokio::sync::Notify,
    /// No server: every local change is final at once. With a server the
    /// change stays pending in the overlay until the sync engine hears back.
    pub(crate) standalone: AtomicBool,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("store", &self.store.path())
            .finish_non_exhaustive()
    }
}

impl App {
    /// Opens (or creates) the store in `data_dir` and indexes every open
    /// complaint for the SLA watcher.
    pub fn open(
        data_dir: &Path,
        rules: Arc<Rules>,
        clock: Arc<dyn Clock>,
        notifier: Arc<dyn Notifier>,
        events: Arc<dyn EventSink>,
    ) -> AppResult<App> {
        let store = LocalStore::open_dir(data_dir)?;
        let app = App {
            store,
            rules: Arc::new(RwLock::new(rules)),
            clock,
            notifier,
            events,
            tz: TimeZone::system(),
            watch: Mutex::new(WatchState::default()),
            wake: tokio::sync::Notify::new(),
            standalone: AtomicBool::new(true),
        };
        app.reindex()?;
        Ok(app)
    }

    /// Shows times in `tz` (notifications); the system zone by default.
    pub fn with_time_zone(mut self, tz: TimeZone) -> App {
        self.tz = tz;
        self
    }

    /// Works with a shared server: local changes stay pending (shown from
    /// the overlay) until the sync engine pushes them and pulls the server's
    /// answer.
    pub fn with_server_sync(self) -> App {
        self.set_server_sync(true);
        self
    }

    /// Switches between server sync and standalone on a running app (the
    /// console signs in while it runs). Changes made before keep how they
    /// were settled.
    pub fn set_server_sync(&self, on: bool) {
        self.standalone.store(!on, Ordering::SeqCst);
    }

    /// Whether local changes wait for a server (see [`App::with_server_sync`]).
    pub fn server_sync(&self) -> bool {
        !self.standalone.load(Ordering::SeqCst)
    }

    /// The rules decisions are made with now.
    pub fn rules(&self) -> Arc<Rules> {
        Arc::clone(&self.rules.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// The shared handle on the rules, for a sync engine that must decide
    /// with the same rules as this app (`redress_sync::SharedRules`):
    /// replacing them through either replaces them for both.
    pub fn rules_handle(&self) -> Arc<RwLock<Arc<Rules>>> {
        Arc::clone(&self.rules)
    }

    /// Decides with `rules` from now on (the server's rules changed): the
    /// SLA watcher re-plans every open complaint and every screen refreshes.
    pub fn set_rules(&self, rules: Arc<Rules>) -> AppResult<()> {
        *self.rules.write().unwrap_or_else(PoisonError::into_inner) = rules;
        self.replan_everything()
    }

    /// After a change that may touch any complaint (new rules, a store
    /// emptied): the watcher re-plans from the store and every screen
    /// reloads its complaints and reminders.
    pub(crate) fn replan_everything(&self) -> AppResult<()> {
        self.reindex()?;
        self.events.changed(&Changed {
            complaints: Vec::new(),
            all: true,
            reminders: true,
            settings: false,
        });
        Ok(())
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub(crate) fn watch_state(&self) -> MutexGuard<'_, WatchState> {
        // A panic while holding the lock leaves a planner that is at worst
        // stale; the next reindex repairs it, so poisoning is not fatal.
        self.watch.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Rebuilds the watcher's index from the store (start-up, bulk imports).
    pub fn reindex(&self) -> AppResult<()> {
        let open = self.store.read(|r| r.open_complaints())?;
        let rules = self.rules();
        let mut w = self.watch_state();
        w.reset();
        for c in &open {
            w.planner.upsert(c.watch(), &rules);
        }
        drop(w);
        self.resolve_all_reminders()?;
        self.wake.notify_one();
        Ok(())
    }

    // ---- settings ----------------------------------------------------------

    pub fn settings(&self) -> AppResult<Settings> {
        Ok(self
            .store
            .read(|r| r.get_setting::<Settings>(&keys::CONSOLE))?
            .unwrap_or_default())
    }

    /// Saves the console's settings. With a server, who the user is (user,
    /// role, limit) comes from the server: changing it here is refused
    /// (`identity_from_server`). On a standalone console a change of role
    /// is recorded ([`RoleChange`]); the UI asks for confirmation first.
    /// Whether the console still has to ask who is at the keyboard, whether
    /// the server says it, and the role changes made here.
    pub fn identity_status(&self) -> AppResult<IdentityStatus> {
        let linked = self.server_link()?.is_some();
        let (stored, mut role_changes) = self.store.read(|r| {
            Ok::<_, AppError>((
                r.get_setting::<Settings>(&keys::CONSOLE)?.is_some(),
                r.get_setting::<Vec<RoleChange>>(&keys::ROLE_CHANGES)?
                    .unwrap_or_default(),
            ))
        })?;
        role_changes.reverse();
        Ok(IdentityStatus {
            first_run: !stored && !linked,
            from_server: linked,
            role_changes,
        })
    }

    pub fn set_settings(&self, s: &Settings) -> AppResult<()> {
        if s.user.as_str().trim().is_empty() {
            return Err(
                redress_domain::DomainError::invalid("user", "a user id is required").into(),
            );
        }
        text::check("user", s.user.as_str(), text::USER_NAME)?;
        text::check("display_name", &s.display_name, text::PERSON_NAME)?;
        let now = self.now();
        let linked = self.server_link()?.is_some();
        self.store.write(|tx| {
            let old = tx.reader().get_setting::<Settings>(&keys::CONSOLE)?;
            if let Some(old) = &old {
                let same_identity = old.user == s.user
                    && old.role == s.role
                    && old.approval_limit_minor == s.approval_limit_minor;
                if linked && !same_identity {
                    return Err(AppError::new(
                        ErrorCode::IdentityFromServer,
                        "user, role and limit come from the server this console is linked to",
                    ));
                }
                if old.role != s.role {
                    let mut changes = tx
                        .reader()
                        .get_setting::<Vec<RoleChange>>(&keys::ROLE_CHANGES)?
                        .unwrap_or_default();
                    changes.push(RoleChange {
                        at: now,
                        user: old.user.clone(),
                        from: old.role,
                        to: s.role,
                    });
                    let excess = changes.len().saturating_sub(RoleChange::KEPT);
                    changes.drain(..excess);
                    tx.set_setting(&keys::ROLE_CHANGES, &changes)?;
                }
            }
            tx.set_setting(&keys::CONSOLE, s)?;
            Ok::<_, AppError>(())
        })?;
        self.events.changed(&Changed {
            complaints: Vec::new(),
            all: true,
            reminders: false,
            settings: true,
        });
        Ok(())
    }

    // ---- queries -------------------------------------------------------------

    pub fn dashboard(&self, mut query: DashboardQuery) -> AppResult<DashboardView> {
        let now = self.now();
        query.now = now;
        let (rows, counts) = self
            .store
            .read(|r| Ok::<_, AppError>((r.dashboard(&query)?, r.header_counts(now)?)))?;
        Ok(DashboardView {
            lines: rows.into_iter().map(DashboardLine::from).collect(),
            counts,
            now,
        })
    }

    /// The store's full dashboard rows (the command line's `list`), sorted
    /// like the console's.
    pub fn dashboard_rows(&self, mut query: DashboardQuery) -> AppResult<Vec<DashboardRow>> {
        query.now = self.now();
        Ok(self.store.read(|r| r.dashboard(&query))?)
    }

    /// The header counts alone (the tray).
    pub fn counts(&self) -> AppResult<HeaderCounts> {
        let now = self.now();
        Ok(self.store.read(|r| r.header_counts(now))?)
    }

    pub fn complaint(&self, id: ComplaintId) -> AppResult<ComplaintView> {
        let now = self.now();
        let (stored, linked) = self.store.read(|r| {
            let stored = r
                .complaint(id)?
                .ok_or_else(|| AppError::not_found("complaint", id))?;
            let mut linked = Vec::new();
            if let Some(link) = &stored.complaint.repeat {
                for other in &link.linked {
                    if let Some(o) = r.complaint(*other)? {
                        linked.push(LinkedComplaint {
                            id: o.complaint.id,
                            number: o.complaint.number.clone(),
                            state: o.complaint.state,
                            received_at: o.complaint.received_at,
                            demand: o.complaint.demand.clone(),
                        });
                    }
                }
            }
            Ok::<_, AppError>((stored, linked))
        })?;
        let rules = self.rules();
        let clocks = stored
            .complaint
            .clocks
            .iter()
            .map(|clock| {
                let cal = rules.calendar(&clock.calendar)?;
                let counting = clock.is_running() && !clock.is_paused();
                Ok(ClockView {
                    status: clock.status(now, cal),
                    warn_at: clock
                        .warn_at_permille
                        .first()
                        .and_then(|w| clock.threshold_instant(*w, cal)),
                    resumes_at: counting.then(|| cal.resumes_at(now)).flatten(),
                    pause_note_required: PauseReason::ALL
                        .into_iter()
                        .filter(|r| clock.pause_needs_note(*r, now))
                        .collect(),
                    clock: clock.clone(),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let phone_display = display_phone(
            &stored.complaint.customer.phone,
            rules.default_calling_code.as_deref(),
        );
        let steps = stored
            .complaint
            .offers(&self.settings()?.actor(), now, &rules);
        Ok(ComplaintView {
            steps,
            complaint: stored.complaint,
            pending: stored.pending,
            clocks,
            linked,
            phone_display,
            callback_scale: CallbackScale::default(),
            now,
        })
    }

    /// The site's catalogs (departments, complaint categories) with their
    /// names, for every screen to show names instead of codes.
    pub fn catalogs(&self) -> Catalogs {
        self.rules().catalogs.clone()
    }

    /// The current user's saved dashboard views, in their order.
    pub fn saved_views(&self) -> AppResult<Vec<SavedView>> {
        let key = keys::saved_views(&self.settings()?.actor().user);
        Ok(self
            .store
            .read(|r| r.get_setting::<Vec<SavedView>>(&key))?
            .unwrap_or_default())
    }

    /// Replaces the current user's saved views: at most [`MAX_SAVED_VIEWS`],
    /// each named (one line, at most 60 characters, names unique) and at
    /// most [`MAX_VIEW_BYTES`] of JSON.
    pub fn set_saved_views(&self, views: &[SavedView]) -> AppResult<()> {
        if views.len() > MAX_SAVED_VIEWS {
            return Err(redress_domain::DomainError::invalid(
                "views",
                format!("at most {MAX_SAVED_VIEWS} saved views"),
            )
            .into());
        }
        let mut names = std::collections::HashSet::new();
        for v in views {
            text::check("name", &v.name, VIEW_NAME)?;
            if v.name.trim().is_empty() || !names.insert(v.name.trim().to_lowercase()) {
                return Err(redress_domain::DomainError::invalid(
                    "name",
                    "every view needs a name of its own",
                )
                .into());
            }
            let size = serde_json::to_vec(&v.view).map_or(usize::MAX, |b| b.len());
            if size > MAX_VIEW_BYTES {
                return Err(redress_domain::DomainError::invalid(
                    "view",
                    format!("a view holds at most {MAX_VIEW_BYTES} bytes"),
                )
                .into());
            }
        }
        let key = keys::saved_views(&self.settings()?.actor().user);
        self.store.write(|tx| tx.set_setting(&key, &views))?;
        Ok(())
    }

    /// The team view at this instant.
    pub fn team(&self) -> AppResult<TeamView> {
        let now = self.now();
        let day_end = now
            .to_zoned(self.tz.clone())
            .tomorrow()
            .and_then(|d| d.start_of_day())
            .map(|z| z.timestamp())
            .unwrap_or(now);
        let me = self.settings()?.actor().user;
        let (workload, (mut people, mut departments)) = self.store.read(|r| {
            Ok::<_, AppError>((r.workload(now, day_end)?, r.people_and_departments()?))
        })?;
        // The current user and everyone the site's catalog names can be
        // picked, beside those who own complaints in the store.
        let named = self
            .rules()
            .catalogs
            .people
            .iter()
            .map(|p| UserId::new(p.user.clone()))
            .collect::<Vec<_>>();
        for user in std::iter::once(me).chain(named) {
            if !people.contains(&user) {
                people.push(user);
            }
        }
        people.sort();
        // The catalog's departments that may be picked, beside those the
        // store's complaints already name.
        for known in self
            .rules()
            .catalogs
            .departments
            .iter()
            .filter(|d| d.enabled)
        {
            let d = DeptId::new(known.code.clone());
            if !departments.contains(&d) {
                departments.push(d);
            }
        }
        departments.sort();
        Ok(TeamView {
            workload,
            people,
            departments,
            day_end,
            now,
        })
    }

    /// Pending approvals, each with whether the current user may decide it,
    /// who can, what the complaint is about and what was decided on it before.
    pub fn approvals(&self) -> AppResult<Vec<ApprovalItem>> {
        let me = self.settings()?.actor();
        let now = self.now();
        let stored = self.store.read(|r| r.with_pending_approvals())?;
        let rules = self.rules();
        let mut items = Vec::new();
        for StoredComplaint { complaint: c, .. } in stored {
            let earlier = decided_newest_first(&c);
            for a in c.pending_approvals() {
                let Some(remedy) = c.remedy(a.remedy_id) else {
                    continue;
                };
                let clock = c.clocks.iter().find(|k| k.approval == Some(a.id));
                let cal = clock.and_then(|k| rules.calendar(&k.calendar).ok());
                let status = clock.zip(cal).map(|(k, cal)| k.status(now, cal));
                let warn_at = clock.zip(cal).and_then(|(k, cal)| {
                    k.warn_at_permille
                        .first()
                        .and_then(|w| k.threshold_instant(*w, cal))
                });
                let blocked = c.check_decider(a, &me, &rules).err().map(|e| e.code());
                items.push(ApprovalItem {
                    complaint_id: c.id,
                    number: c.number.clone(),
                    customer_name: c.customer.name.clone(),
                    brief: ComplaintBrief::of(&c),
                    approval: a.clone(),
                    remedy: remedy.clone(),
                    due_at: clock.and_then(|k| k.due_at),
                    warn_at,
                    status,
                    blocked,
                    deciders: rules
                        .authority
                        .deciding_roles(a.kind, a.amount.amount_minor),
                    earlier: earlier.clone(),
                });
            }
        }
        items.sort_by_key(|i| (i.due_at.is_none(), i.due_at, i.approval.requested_at));
        Ok(items)
    }

    /// Approvals decided in the last `days` days, most recent first, at most
    /// `limit` of them.
    pub fn decided_approvals(&self, days: u32, limit: u32) -> AppResult<Vec<DecidedItem>> {
        let since = self.now() - jiff::SignedDuration::from_hours(24 * i64::from(days.min(366)));
        let limit = limit.min(MAX_DECIDED);
        let stored = self.store.read(|r| r.decided_since(since, limit))?;
        let mut items: Vec<DecidedItem> = stored
            .iter()
            .flat_map(|StoredComplaint { complaint: c, .. }| {
                decided_newest_first(c)
                    .into_iter()
                    .filter(|a| a.decided_at.is_some_and(|t| t >= since))
                    .map(|a| DecidedItem {
                        complaint_id: c.id,
                        number: c.number.clone(),
                        customer_name: c.customer.name.clone(),
                        note: c
                            .remedy(a.remedy_id)
                            .map(|r| r.note.clone())
                            .unwrap_or_default(),
                        approval: a,
                    })
            })
            .collect();
        items.sort_by_key(|i| std::cmp::Reverse(i.approval.decided_at));
        items.truncate(limit as usize);
        Ok(items)
    }

    /// The intake form's live check: the phone as validated and the
    /// customer's open and recent complaints (by customer id and by phone).
    pub fn intake_lookup(&self, query: &IntakeQuery) -> AppResult<IntakeLookup> {
        text::check("customer.phone", &query.phone, text::PHONE)?;
        let customer_id = query
            .customer_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty());
        if let Some(id) = customer_id {
            text::check("customer.customer_id", id, text::CODE)?;
        }
        let rules = self.rules();
        let phone = check_phone(&query.phone, rules.default_calling_code.as_deref());
        let id_key = customer_id.map(|id| {
            RepeatProbe::customer_key(&Customer {
                name: String::new(),
                phone: String::new(),
                customer_id: Some(id.to_owned()),
            })
        });
        let window_days = rules.repeats.window_days;
        let since = self.now() - jiff::SignedDuration::from_hours(24 * window_days.clamp(0, 3660));
        let found = self.store.read(|r| {
            r.customer_complaints(
                id_key.as_deref(),
                phone.as_ref().map(|p| p.e164.as_str()),
                since,
                MAX_CUSTOMER_COMPLAINTS,
            )
        })?;
        let complaints = found
            .into_iter()
            .map(|StoredComplaint { complaint: c, .. }| CustomerComplaint {
                by_customer_id: id_key
                    .as_deref()
                    .is_some_and(|k| RepeatProbe::customer_key(&c.customer) == k),
                id: c.id,
                number: c.number,
                state: c.state,
                open: c.state.is_open(),
                received_at: c.received_at,
                category: c.category,
                demand: c.demand,
            })
            .collect();
        Ok(IntakeLookup {
            phone,
            complaints,
            window_days,
        })
    }

    /// Callbacks due within the next 24 hours, and overdue ones.
    pub fn callbacks(&self) -> AppResult<Vec<CallbackItem>> {
        let now = self.now();
        let horizon = now + jiff::SignedDuration::from_hours(24);
        let stored = self.store.read(|r| r.callbacks_due_before(horizon))?;
        let rules = self.rules();
        let calling_code = rules.default_calling_code.as_deref();
        let mut items: Vec<CallbackItem> = stored
            .into_iter()
            .filter_map(|StoredComplaint { complaint: c, .. }| {
                let cb = c.outstanding_callback()?;
                let due_at = c.clock(ClockKind::Callback).and_then(|k| k.due_at);
                Some(CallbackItem {
                    complaint_id: c.id,
                    number: c.number.clone(),
                    customer_name: c.customer.name.clone(),
                    customer_phone: display_phone(&c.customer.phone, calling_code),
                    resolved_at: cb.resolved_at,
                    next_attempt_at: cb.next_attempt_at,
                    due_at,
                    attempts: u32::try_from(cb.attempts.len()).unwrap_or(u32::MAX),
                    overdue: due_at.is_some_and(|d| d < now),
                    scale: CallbackScale::default(),
                })
            })
            .collect();
        items.sort_by_key(|i| (i.next_attempt_at.is_none(), i.next_attempt_at, i.due_at));
        Ok(items)
    }

    /// The reminder inbox (reminders that still need somebody), newest
    /// first, each with its complaint and its text in the current language.
    pub fn reminders(&self, limit: u32) -> AppResult<Vec<ReminderItem>> {
        self.reminder_items(limit, false)
    }

    /// Reminders that cleared on their own, most recently cleared first.
    pub fn reminder_history(&self, limit: u32) -> AppResult<Vec<ReminderItem>> {
        self.reminder_items(limit, true)
    }

    fn reminder_items(&self, limit: u32, history: bool) -> AppResult<Vec<ReminderItem>> {
        let lang = self.settings()?.language;
        let limit = limit.min(MAX_REMINDER_PAGE);
        self.store.read(|r| {
            let rows = if history {
                r.reminder_history(limit)?
            } else {
                r.reminder_inbox(limit)?
            };
            let mut items = Vec::with_capacity(rows.len());
            for mut row in rows {
                let (number, customer_name, owner, department) =
                    match r.complaint(row.complaint_id)? {
                        Some(s) => (
                            s.complaint.number,
                            s.complaint.customer.name,
                            s.complaint.owner,
                            s.complaint.department,
                        ),
                        None => (String::new(), String::new(), None, None),
                    };
                self.render_reminder(lang, &mut row, &number, &customer_name);
                items.push(ReminderItem {
                    row,
                    number,
                    customer_name,
                    owner,
                    department,
                });
            }
            Ok::<_, AppError>(items)
        })
    }

    // ---- commands ------------------------------------------------------------

    /// Records a new complaint; returns its id.
    pub fn record_complaint(&self, mut draft: ComplaintDraft) -> AppResult<ComplaintId> {
        let actor = self.settings()?.actor();
        let now = self.now();
        let id = ComplaintId(Uuid::now_v7());
        // Received now unless the form says otherwise, fixed here so the
        // queued change keeps this moment however late it is sent.
        draft.received_at.get_or_insert(now);
        let customer_key = draft.customer_key(&self.rules());
        let (complaint, alerts) = self.store.write(|tx| {
            let prior = tx.reader().repeat_probes(&customer_key)?;
            let number = tx.next_local_number(now.to_zoned(self.tz.clone()).year())?;
            let new = NewComplaint {
                id,
                number,
                draft: draft.clone(),
            };
            let recorded = Complaint::record(new, &prior, &actor, now, &self.rules())?;
            let intent = Mutation::Record {
                complaint_id: id,
                complaint: draft.clone(),
            };
            self.persist(tx, &recorded.complaint, &intent, &actor.user, now)?;
            Ok::<_, AppError>((recorded.complaint, recorded.alerts))
        })?;
        self.after_write(&complaint, &alerts);
        Ok(id)
    }

    /// Runs one closed-loop command on a complaint.
    pub fn execute(&self, id: ComplaintId, command: &Command) -> AppResult<()> {
        let actor = self.settings()?.actor();
        let now = self.now();
        let intent = Mutation::Execute {
            complaint_id: id,
            command: command.clone(),
        };
        let (complaint, alerts) = self.store.write(|tx| {
            let mut c = tx
                .reader()
                .complaint(id)?
                .ok_or_else(|| AppError::not_found("complaint", id))?
                .complaint;
            let alerts = c.execute(command, &actor, now, &self.rules())?;
            self.persist(tx, &c, &intent, &actor.user, now)?;
            Ok::<_, AppError>((c, alerts))
        })?;
        self.after_write(&complaint, &alerts);
        Ok(())
    }

    /// Assigns (or reassigns) several complaints to one department and
    /// owner, each on its own: what one refuses is reported with its error
    /// and the rest go ahead. At most [`MAX_BULK`] at once.
    pub fn bulk_assign(
        &self,
        ids: &[ComplaintId],
        department: &DeptId,
        owner: Option<&UserId>,
    ) -> AppResult<BulkOutcome> {
        if ids.len() > MAX_BULK as usize {
            return Err(redress_domain::DomainError::invalid(
                "ids",
                format!("at most {MAX_BULK} complaints at once"),
            )
            .into());
        }
        let command = Command::Assign {
            department: department.clone(),
            owner: owner.cloned(),
        };
        let mut outcome = BulkOutcome {
            done: Vec::new(),
            failed: Vec::new(),
        };
        let mut seen = std::collections::HashSet::new();
        for id in ids.iter().copied().filter(|id| seen.insert(*id)) {
            match self.execute(id, &command) {
                Ok(()) => outcome.done.push(id),
                Err(error) => outcome.failed.push(BulkFailure { id, error }),
            }
        }
        Ok(outcome)
    }

    pub fn ack_reminder(&self, key: &str) -> AppResult<()> {
        self.ack_reminders(&[key.to_owned()])
    }

    /// Acknowledges several reminders in one go (all or none).
    pub fn ack_reminders(&self, keys: &[String]) -> AppResult<()> {
        let keys = parse_keys(keys)?;
        let now = self.now();
        self.store
            .write(|tx| keys.iter().try_for_each(|key| tx.ack_reminder(key, now)))?;
        self.reminders_changed();
        Ok(())
    }

    /// Hides a reminder and shows it again `minutes` later (10 or 30 in the UI).
    pub fn snooze_reminder(&self, key: &str, minutes: u32) -> AppResult<()> {
        self.snooze_reminders(&[key.to_owned()], minutes)
    }

    /// Snoozes several reminders in one go (all or none).
    pub fn snooze_reminders(&self, keys: &[String], minutes: u32) -> AppResult<()> {
        if !(1..=24 * 60).contains(&minutes) {
            return Err(redress_domain::DomainError::invalid(
                "minutes",
                "snooze 1 to 1440 minutes",
            )
            .into());
        }
        let keys = parse_keys(keys)?;
        let until = self.now() + jiff::SignedDuration::from_mins(i64::from(minutes));
        self.store.write(|tx| {
            keys.iter()
                .try_for_each(|key| tx.snooze_reminder(key, until))
        })?;
        self.reminders_changed();
        self.wake.notify_one();
        Ok(())
    }

    /// Overlay + outbox in one transaction; standalone (no server), settled
    /// into the mirror at once, in the same transaction.
    fn persist(
        &self,
        tx: &mut redress_local::WriteTx<'_>,
        c: &Complaint,
        intent: &Mutation,
        author: &UserId,
        now: Timestamp,
    ) -> AppResult<()> {
        let args = intent
            .args()
            .map_err(|e| AppError::internal(e.to_string()))?;
        let client_seq = tx.enqueue(&OutboxEntry {
            mutation_id: OutboxEntry::new_mutation_id(),
            author: author.clone(),
            name: intent.name().to_owned(),
            args,
            occurred_at_device: now,
            base_seq: 0,
        })?;
        tx.stage_complaint(c, &self.rules(), client_seq)?;
        if self.standalone.load(Ordering::SeqCst) {
            tx.settle_local(client_seq, c.id)?;
        }
        Ok(())
    }

    fn after_write(&self, c: &Complaint, alerts: &[redress_domain::complaint::Alert]) {
        self.watch_state().planner.upsert(c.watch(), &self.rules());
        // The command may have dealt with a reminder's cause; a failure here
        // leaves the reminder open until the next change or start-up.
        let _ = self.resolve_reminders(std::slice::from_ref(c));
        self.wake.notify_one();
        crate::watcher::notify_alerts(self, c, alerts);
        self.events.changed(&Changed {
            complaints: vec![c.id],
            all: false,
            reminders: false,
            settings: false,
        });
    }

    pub(crate) fn reminders_changed(&self) {
        self.events.changed(&Changed {
            complaints: Vec::new(),
            all: false,
            reminders: true,
            settings: false,
        });
    }
}

/// The most reminders one page or one bulk action takes.
pub const MAX_REMINDER_PAGE: u32 = 500;

fn parse_keys(keys: &[String]) -> AppResult<Vec<ReminderKey>> {
    if keys.len() > MAX_REMINDER_PAGE as usize {
        return Err(redress_domain::DomainError::invalid(
            "keys",
            format!("at most {MAX_REMINDER_PAGE} reminders at once"),
        )
        .into());
    }
    keys.iter().map(|k| parse_key(k)).collect()
}

fn parse_key(key: &str) -> AppResult<ReminderKey> {
    key.parse().map_err(|_| {
        redress_domain::DomainError::invalid("key", format!("not a reminder key: {key}")).into()
    })
}

/// The most dashboard views one user saves.
pub const MAX_SAVED_VIEWS: usize = 30;
/// The most JSON one saved view holds.
pub const MAX_VIEW_BYTES: usize = 4096;
/// A saved view's name: one line.
const VIEW_NAME: text::TextLimit = text::TextLimit {
    max_chars: 60,
    multiline: false,
};

/// Saved views are per user: several people may share one console.
/// The most complaints one bulk action takes.
pub const MAX_BULK: u32 = 500;

/// The most complaints the intake form lists for one customer.
pub const MAX_CUSTOMER_COMPLAINTS: u32 = 20;

/// The most a "decided" list holds.
pub const MAX_DECIDED: u32 = 500;

/// A complaint's approved and rejected requests, the latest decision first.
fn decided_newest_first(c: &Complaint) -> Vec<Approval> {
    let mut decided: Vec<Approval> = c
        .approvals
        .iter()
        .filter(|a| matches!(a.state, ApprovalState::Approved | ApprovalState::Rejected))
        .cloned()
        .collect();
    decided.sort_by_key(|a| std::cmp::Reverse(a.decided_at));
    decided
}
