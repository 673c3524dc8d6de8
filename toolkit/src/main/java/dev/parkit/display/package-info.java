/**
 * ParKit's bridge to where things are shown: Jupyter kernels (JJava, IJava) or plain text. The
 * only package that talks to a kernel, reflects into one, or writes to {@code System.out}. Use
 * {@link dev.parkit.display.Displays#current()}.
 */
package dev.parkit.display;
