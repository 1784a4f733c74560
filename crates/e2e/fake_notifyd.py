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
        Server.next_id += 1
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps({"app": str(app), "summary": str(summary),
                                "body": str(body)}, ensure_ascii=False) + "\n")
        return dbus.UInt32(Server.next_id)

    @dbus.service.method("org.freedesktop.Notifications", out_signature="as")
    def GetCapabilities(self):
        return ["body"]

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
