#!/usr/bin/python3
"""Reads and clicks the console's tray menu, as a desktop's status area does.

The tray icon is a StatusNotifierItem on the session bus (libayatana-
appindicator exports it even with no status area to show it); its menu is a
com.canonical.dbusmenu object. `tray.py layout` prints the menu as JSON
(a list of {id, label, enabled}); `tray.py click ID` clicks entry ID.
"""
import json
import sys

import dbus

ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PREFIX = "/org/ayatana/NotificationItem/"


def find_menu(bus):
    """The (bus name, menu path) of the first tray item found."""
    names = bus.get_object("org.freedesktop.DBus", "/org/freedesktop/DBus")
    me = bus.get_unique_name()
    for name in names.ListNames(dbus_interface="org.freedesktop.DBus"):
        # Asking ourselves would wait for an answer we cannot give.
        if not name.startswith(":") or name == me:
            continue
        try:
            root = bus.get_object(name, PREFIX.rstrip("/"), introspect=False)
            xml = root.Introspect(dbus_interface="org.freedesktop.DBus.Introspectable",
                                  timeout=2)
        except dbus.DBusException:
            continue
        for line in xml.splitlines():
            line = line.strip()
            if line.startswith("<node name="):
                child = line.split('"')[1]
                item = bus.get_object(name, PREFIX + child, introspect=False)
                path = item.Get(ITEM, "Menu", dbus_interface="org.freedesktop.DBus.Properties")
                return name, str(path)
    return None


def flatten(node, out):
    _id, props, children = node
    if _id != 0:
        out.append({
            "id": int(_id),
            "label": str(props.get("label", "")),
            "enabled": bool(props.get("enabled", True)),
            "separator": str(props.get("type", "")) == "separator",
        })
    for child in children:
        flatten(child, out)


def main():
    bus = dbus.SessionBus()
    found = find_menu(bus)
    if found is None:
        print("null")
        return
    name, path = found
    menu = bus.get_object(name, path, introspect=False)
    if sys.argv[1] == "layout":
        _rev, layout = menu.GetLayout(0, -1, dbus.Array([], signature="s"), dbus_interface=MENU)
        out = []
        flatten(layout, out)
        print(json.dumps(out, ensure_ascii=False))
    elif sys.argv[1] == "click":
        menu.Event(int(sys.argv[2]), "clicked", dbus.Int32(0, variant_level=1), dbus.UInt32(0),
                   dbus_interface=MENU)
        print("clicked")


main()
