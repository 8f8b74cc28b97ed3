package dev.modelgate.launcher; public class Launcher { public static void main(String[] a){} }
