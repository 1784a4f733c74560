#!/usr/bin/python3
"""A stand-in notification server for the end-to-end tests.

It owns org.freedesktop.Notifications on the session bus (the one a
dbus-run-session started) and appends every Notify call it receives to a
file, one JSON object per line, so a test can see exactly what the console
sent over D-Bus. It answers GetCapabilities and GetServerInformation like a
real desktop's server would.
"""
import json
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

LOG = sys.argv[1]


class Server(dbus.service.Object):
    next_id = 0

    @dbus.service.method("org.freedesktop.Notifications",
                         in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        # Like a real server: replacing keeps the id, otherwise a new one.
        if replaces:
            nid = int(replaces)
        else:
            Server.next_id += 1
            nid = Server.next_id
        urgency = hints.get("urgency")
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps({
                "id": nid,
                "replaces": int(replaces),
                "app": str(app),
                "summary": str(summary),
                "body": str(body),
                "actions": [str(a) for a in actions],
                "urgency": None if urgency is None else int(urgency),
            }, ensure_ascii=False) + "\n")
        return dbus.UInt32(nid)

    @dbus.service.signal("org.freedesktop.Notifications", signature="us")
    def ActionInvoked(self, nid, key):
        pass

    @dbus.service.signal("org.freedesktop.Notifications", signature="uu")
    def NotificationClosed(self, nid, reason):
        pass

    # Not in the specification: the test's hand on the mouse. It clicks a
    # notification (the server then emits ActionInvoked and closes it, as
    # desktops do; reason 2 is "dismissed by the user").
    @dbus.service.method("org.redress.E2e", in_signature="us")
    def Invoke(self, nid, key):
        self.ActionInvoked(nid, key)
        self.NotificationClosed(nid, dbus.UInt32(2))

    @dbus.service.method("org.freedesktop.Notifications", out_signature="as")
    def GetCapabilities(self):
        return ["body", "actions"]

    @dbus.service.method("org.freedesktop.Notifications", out_signature="ssss")
    def GetServerInformation(self):
        return ("redress-e2e", "redress", "1", "1.2")

    @dbus.service.method("org.freedesktop.Notifications", in_signature="u")
    def CloseNotification(self, _id):
        pass


DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
name = dbus.service.BusName("org.freedesktop.Notifications", bus, do_not_queue=True)
Server(bus, "/org/freedesktop/Notifications")
# Tell the test we own the name.
print("ready", flush=True)
GLib.MainLoop().run()
