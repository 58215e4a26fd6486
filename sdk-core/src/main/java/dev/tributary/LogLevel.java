package dev.tributary;

/** Log severity; the wire value of {@code log.level} is the constant's name. */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR
}
