// Marks a function as one of the libc entry points the library replaces.
// The version script (exports.map) is what finally decides what is exported;
// this only makes the definitions visible despite -fvisibility=hidden.
#pragma once

#define ARESOLV_EXPORT extern "C" __attribute__((visibility("default")))
