@echo off
rem The `companion` CLI of an installed SPICA Companion (resources\bin\): the app binary in CLI mode.
"%~dp0..\..\SPICA Companion.exe" --cli %*
